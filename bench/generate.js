#!/usr/bin/env node
/**
 * The `recurrent generate` benchmark (not a test): ms per generated character of a character-level
 * LSTM(256) -> Dense(softmax) model of Moby-Dick (one-hot, `--seq-length` characters per window, 40 by
 * default as in Keras's character-level example), through the command's own code (`runGenerate`: model
 * folder loaded once per call, prime, sampling at temperature 0.5, output discarded), in both modes:
 * - windows (the default): each character is drawn from the model run over the last window, so a
 *   character costs seqLength LSTM steps; the table also gives the time per LSTM step;
 * - `--carry-state`: the first window is read once, then each drawn character is one step;
 * - `--carry-state` through the command itself (`recurrent generate` in a child process, its output to a file):
 *   per character = (time of 20,020 characters - time of 20) / 20,000, which removes the start-up and loading
 *   and keeps the writing of the text.
 * The model folder comes from `recurrent fit` on 3,000 characters for one epoch (its weights do not
 * change the time). Per character = (time of 1,020 characters - time of 20) / 1,000, which removes the
 * loading and the prime; medians of `--reps` pairs, after warm-up.
 *
 *   node bench/generate.js [--reps 7] [--seq-length 40]
 * Run after `npx pnpm@12.4.2 run build`.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const UNITS = 256;

function parseArgs(argv) {
  const args = { reps: 7, seqLength: 40 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--reps') args.reps = Number(argv[++i]);
    else if (a === '--seq-length') args.seqLength = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.reps) || args.reps < 1 || !Number.isInteger(args.seqLength) || args.seqLength < 1) {
    throw new Error('--reps and --seq-length take positive integers');
  }
  return args;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A trained model folder of the character LSTM, written by `recurrent fit`. */
function fitModel(dir, seqLength) {
  const experiment = {
    name: 'generate-bench',
    seed: 1,
    model: {
      class_name: 'Sequential',
      config: {
        name: 'char_lstm',
        layers: [
          { class_name: 'LSTM', config: { name: 'rnn', units: UNITS, batch_input_shape: [null, '$seqLength', '$vocabSize'] } },
          { class_name: 'Dense', config: { name: 'next_char', units: '$vocabSize', activation: 'softmax' } },
        ],
      },
    },
    compile: { optimizer: 'rmsprop', loss: 'categorical_crossentropy' },
    data: { kind: 'text', dataset: 'moby-dick', limit: 3000, level: 'char', lower: true, seq_length: seqLength, step: 3, encoding: 'oneHot' },
    fit: { epochs: 1, batch_size: 128, verbose: 0 },
  };
  const file = path.join(dir, 'experiment.json');
  fs.writeFileSync(file, JSON.stringify(experiment));
  const out = path.join(dir, 'model');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'packages', 'cli', 'bin', 'recurrent.js'), 'fit', file, '--out', out], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`recurrent fit failed:\n${result.stderr}`);
  return out;
}

/** ms per character of `recurrent generate --carry-state` run as a command, its text written to a file. */
function commandPerCharacter(folder, dir, reps) {
  const cli = path.join(ROOT, 'packages', 'cli', 'bin', 'recurrent.js');
  const file = path.join(dir, 'generated.txt');
  const time = (length) => {
    const fd = fs.openSync(file, 'w');
    try {
      const t0 = performance.now();
      const run = spawnSync(process.execPath, [cli, 'generate', folder, '--prime', 'call me ishmael. ', '--length', String(length), '--temperature', '0.5', '--seed', '1', '--carry-state'], { stdio: ['ignore', fd, 'pipe'] });
      const ms = performance.now() - t0;
      if (run.status !== 0) throw new Error(`recurrent generate failed:\n${run.stderr}`);
      return ms;
    } finally {
      fs.closeSync(fd);
    }
  };
  time(20);
  const times = [];
  for (let r = 0; r < reps; r++) times.push((time(20020) - time(20)) / 20000);
  return { median: median(times), min: Math.min(...times) };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-generate-bench-'));
  try {
    const folder = fitModel(dir, args.seqLength);
    const { runGenerate } = require(path.join(ROOT, 'packages', 'cli', 'dist', 'commands', 'generate.js'));
    const { info } = require(path.join(ROOT, 'packages', 'core', 'dist', 'index.js'));
    const output = { out() {}, err(text) { process.stderr.write(text); }, interactive: false };
    const time = (length, carryState) => {
      const t0 = performance.now();
      runGenerate(folder, { prime: 'call me ishmael. ', length, temperature: 0.5, seed: 1, carryState }, output);
      return performance.now() - t0;
    };
    const perCharacter = (carryState) => {
      for (let i = 0; i < 3; i++) time(1020, carryState);
      const times = [];
      for (let r = 0; r < args.reps; r++) times.push((time(1020, carryState) - time(20, carryState)) / 1000);
      return { median: median(times), min: Math.min(...times) };
    };
    const windows = perCharacter(false);
    const carried = perCharacter(true);
    const command = commandPerCharacter(folder, dir, Math.max(3, Math.ceil(args.reps / 2)));
    console.log(`recurrent generate: LSTM(${UNITS}) -> Dense(softmax), one-hot characters, ${args.seqLength}-character windows; kernels ${info().implementation}`);
    console.log('| mode | ms per character, median (fastest) | LSTM steps per character | ms per LSTM step, median |');
    console.log('|---|---|---|---|');
    console.log(`| windows (default) | ${windows.median.toFixed(4)} (${windows.min.toFixed(4)}) | ${args.seqLength} | ${(windows.median / args.seqLength).toFixed(4)} |`);
    console.log(`| --carry-state | ${carried.median.toFixed(4)} (${carried.min.toFixed(4)}) | 1 | ${carried.median.toFixed(4)} |`);
    console.log(`| --carry-state, the command writing to a file | ${command.median.toFixed(4)} (${command.min.toFixed(4)}) | 1 | - |`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
