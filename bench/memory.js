#!/usr/bin/env node
/**
 * Peak memory of training (not a test): the peak RSS (process.resourceUsage().maxRSS) of a process
 * that only loads the library, and of one that then runs 20 training steps of W1 (LSTM(256) over 100
 * steps of 128 features, batch 32, Dense(10, softmax), SGD) through Sequential + compile + trainOnBatch;
 * and the same two in PyTorch (bench/pytorch_memory.py). The increase is what training costs.
 *
 *   node bench/memory.js [--steps 20] [--skip pytorch]
 * Run after `npx pnpm@12.4.2 run build`. Each figure comes from a fresh process.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { PYTHON, pythonEnv, scriptFailure } = require('./pytorch_process');

const ROOT = path.resolve(__dirname, '..');
const W1 = { batch: 32, time: 100, features: 128, units: 256, classes: 10 };

function child(mode, steps) {
  const core = require(path.join(ROOT, 'packages', 'core', 'dist', 'index.js'));
  const tf = core.tf;
  tf.setBackend('cpu');
  if (mode === 'train') {
    core.setSeed(7);
    const model = new core.Sequential({
      layers: [new core.LSTM({ units: W1.units, inputShape: [W1.time, W1.features] }), new core.Dense({ units: W1.classes, activation: 'softmax' })],
    });
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const x = tf.randomUniform([W1.batch, W1.time, W1.features], -1, 1, 'float32', 1);
    const y = tf.oneHot(tf.randomUniform([W1.batch], 0, W1.classes, 'int32', 2), W1.classes).toFloat();
    for (let i = 0; i < steps; i++) model.trainOnBatch(x, y);
  }
  process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { encoding: 'utf8', env });
  const last = (r.stdout || '').trim().split('\n').pop();
  if (r.status !== 0 || !last || !last.startsWith('{')) throw new Error(scriptFailure(path.basename(args[0]), r));
  return JSON.parse(last).peakRssMb;
}

function main() {
  const argv = process.argv.slice(2);
  const steps = argv.includes('--steps') ? Number(argv[argv.indexOf('--steps') + 1]) : 20;
  if (argv[0] === '--child') return child(argv[1], steps);
  const rows = [['recurrent (trainOnBatch)', run(process.execPath, [__filename, '--child', 'load']), run(process.execPath, [__filename, '--child', 'train', '--steps', String(steps)])]];
  if (!argv.includes('pytorch') && fs.existsSync(PYTHON)) {
    const script = path.join(__dirname, 'pytorch_memory.py');
    const env = pythonEnv();
    rows.push(['pytorch', run(PYTHON, [script, '--mode', 'load'], env), run(PYTHON, [script, '--mode', 'train', '--steps', String(steps)], env)]);
  }
  console.log(`# peak RSS, W1 (LSTM(256), T=100, F=128, batch 32, Dense(10)), ${steps} training steps`);
  console.log('| library | loaded MB | after training MB | increase MB |');
  console.log('|---|---|---|---|');
  for (const [name, loaded, trained] of rows) console.log(`| ${name} | ${loaded.toFixed(0)} | ${trained.toFixed(0)} | ${(trained - loaded).toFixed(0)} |`);
}

main();
