#!/usr/bin/env node
/**
 * The `fit` benchmark (not a test): ms per training step of the text-generation experiments
 * (examples/text-generation/{simple-rnn,lstm,gru}.json: a recurrent layer of 128 units over 10-character
 * one-hot windows of Moby-Dick, Dense(softmax), RMSprop with clipnorm, accuracy, batch 128), trained
 * the way `recurrent fit` trains them: the experiment assembled by the CLI (data, model, compile), then
 * the library's `fit` over the lazily one-hot encoded windows, for a fixed number of steps, and the same
 * loop in PyTorch (bench/pytorch_fit.py: the same corpus ids, windows, model, RMSprop with per-variable
 * clipnorm, accuracy read back every batch). Validation, the progress bar, the report and saving are
 * left out on both sides: this times the training steps, batch assembly included.
 *
 *   node bench/fit.js [--steps 100] [--epochs 3] [--only gru] [--skip pytorch]
 * Run after `npx pnpm@12.4.2 run build`, with the BLAS settings of docs/performance.md for PyTorch.
 * The first epoch warms up; the others are timed. Each experiment runs in a fresh process.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawnSync } = require('child_process');
const { PYTHON, pythonEnv, scriptFailure } = require('./pytorch_process');
const { runChildCell } = require('./child_run');

const ROOT = path.resolve(__dirname, '..');
const CLI_DIST = path.join(ROOT, 'packages', 'cli', 'dist');
const EXPERIMENTS = ['simple-rnn', 'lstm', 'gru'];

function parseArgs(argv) {
  const args = { steps: 100, epochs: 3, only: null, skip: new Set(), child: null, corpusOut: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--steps') args.steps = Number(argv[++i]);
    else if (a === '--epochs') args.epochs = Number(argv[++i]);
    else if (a === '--only') args.only = new Set(argv[++i].split(','));
    else if (a === '--skip') for (const s of argv[++i].split(',')) args.skip.add(s);
    else if (a === '--child') args.child = argv[++i];
    else if (a === '--corpus-out') args.corpusOut = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.steps >= 1) || !(args.epochs >= 2)) throw new Error('--steps must be at least 1 and --epochs at least 2');
  return args;
}

/** Child: trains one experiment, prints { msPerStep, rssBeforeMb, peakRssMb } as a JSON line. */
async function child(args) {
  const core = require(path.join(ROOT, 'packages', 'core', 'dist', 'index.js'));
  const { loadExperiment } = require(path.join(CLI_DIST, 'experiment', 'load_experiment.js'));
  const { assemble } = require(path.join(CLI_DIST, 'commands', 'assemble.js'));
  const { indexedExamples } = require(path.join(CLI_DIST, 'data', 'example_set.js'));
  require(path.join(CLI_DIST, 'tfjs_setup.js'));
  await core.tf.setBackend('cpu');
  const file = path.join(ROOT, 'examples', 'text-generation', `${args.child}.json`);
  const loaded = loadExperiment(file);
  const assembly = assemble(loaded, loaded.experiment.seed ?? 42, { compile: true, seedModel: core.setSeed });
  const { prepared, model } = assembly;
  // What training adds to memory is the peak during fit over the resident set once the library, the data
  // and the model are in place (the same point of PyTorch's twin).
  const rssBeforeMb = process.memoryUsage().rss / (1024 * 1024);
  const epochTimes = [];
  let start = 0;
  const timer = {
    onEpochBegin: () => { start = performance.now(); },
    onEpochEnd: () => { epochTimes.push(performance.now() - start); },
  };
  await model.fit(indexedExamples(prepared.train), undefined, {
    epochs: args.epochs,
    batchSize: loaded.experiment.fit.batchSize,
    stepsPerEpoch: args.steps,
    shuffle: true,
    verbose: 0,
    callbacks: [timer],
  });
  const timed = epochTimes.slice(1);
  if (args.corpusOut) {
    fs.writeFileSync(args.corpusOut, JSON.stringify({
      cell: loaded.experiment.model.config.layers[0].class_name,
      units: 128,
      vocabSize: prepared.state.dims.vocabSize,
      seqLength: prepared.state.dims.seqLength,
      batchSize: loaded.experiment.fit.batchSize,
      learningRate: 0.005,
      clipnorm: 1.0,
      ids: Array.from(prepared.corpusIds),
    }));
  }
  const msPerStep = timed.reduce((a, b) => a + b, 0) / (timed.length * args.steps);
  process.stdout.write(`${JSON.stringify({ msPerStep, rssBeforeMb, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** What training added to a child's resident set: its peak over the resident set before fit (MB). */
function increase(result) {
  return result.peakRssMb - result.rssBeforeMb;
}

function runChild(name, args, corpusOut) {
  const run = spawnSync(process.execPath, [__filename, '--child', name, '--steps', String(args.steps), '--epochs', String(args.epochs), '--corpus-out', corpusOut], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !last || !last.startsWith('{')) {
    throw new Error(`fit of ${name} failed: ${(run.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  return JSON.parse(last);
}

function runPytorch(corpusFile, args) {
  if (!fs.existsSync(PYTHON)) return { error: `${PYTHON} not found` };
  const run = spawnSync(PYTHON, [path.join(__dirname, 'pytorch_fit.py'), corpusFile, '--steps', String(args.steps), '--epochs', String(args.epochs), '--threads', '2'], { encoding: 'utf8', env: pythonEnv() });
  if (run.status !== 0) return { error: scriptFailure('pytorch_fit.py', run) };
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    runChildCell(child, args);
    return;
  }
  console.log(`# fit benchmark: ${args.steps} steps per epoch, ${args.epochs} epochs (the first untimed); ${os.cpus()[0].model}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| experiment | recurrent ms/step | pytorch ms/step | pytorch/recurrent | recurrent RSS before fit -> peak MB (increase) | pytorch RSS before -> peak MB (increase) | increase recurrent/pytorch |');
  console.log('|---|---|---|---|---|---|---|');
  for (const name of EXPERIMENTS.filter((e) => !args.only || args.only.has(e))) {
    const corpus = path.join(os.tmpdir(), `recurrent-fit-bench-${process.pid}-${name}.json`);
    try {
      const ours = runChild(name, args, corpus);
      const torch = args.skip.has('pytorch') ? { error: 'skipped' } : runPytorch(corpus, args);
      const t = torch.error ? '-' : torch.msPerStep.toFixed(2);
      const ratio = torch.error ? '-' : `${(torch.msPerStep / ours.msPerStep).toFixed(2)}x`;
      const memory = (r) => `${r.rssBeforeMb.toFixed(0)} -> ${r.peakRssMb.toFixed(0)} (+${increase(r).toFixed(0)})`;
      const increaseRatio = torch.error ? '-' : `${(increase(ours) / Math.max(1, increase(torch))).toFixed(2)}x`;
      console.log(`| ${name} | ${ours.msPerStep.toFixed(2)} | ${t} | ${ratio} | ${memory(ours)} | ${torch.error ? '-' : memory(torch)} | ${increaseRatio} |`);
      if (torch.error) console.log(`pytorch: ${torch.error}`);
    } finally {
      fs.rmSync(corpus, { force: true });
    }
  }
}

main();
