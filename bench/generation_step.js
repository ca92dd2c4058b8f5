#!/usr/bin/env node
/**
 * Generation through the public API (not a test): ms per LSTM(256) step of W6 (batch 1, 128 features,
 * 200 steps, the state carried), as a stateful model's `predict` per step and as a SequenceStepper
 * (`new SequenceStepper(model).step(x)`, the fused kernel on plain arrays). Both read their output every
 * step, as a sampler does. Medians of repetitions in one process.
 *
 *   node bench/generation_step.js [--reps 30]
 * Run after `npx pnpm@12.4.2 run build`. 20 untimed runs (4,000 steps) come first.
 */
'use strict';
const path = require('path');

const core = require(path.join(__dirname, '..', 'packages', 'core', 'dist', 'index.js'));
const { loadNativeAddon } = require(path.join(__dirname, '..', 'packages', 'kernels', 'dist', 'native', 'load.js'));
const { tf } = core;

const UNITS = 256;
const FEATURES = 128;
const STEPS = 200;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timePerStep(run, reps) {
  // A generator runs thousands of steps: time it once V8 has optimized the step's code (a few hundred
  // steps are not enough for the model's call path).
  for (let i = 0; i < 20; i++) run();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    times.push((performance.now() - t0) / STEPS);
  }
  return { median: median(times), min: Math.min(...times) };
}

function main() {
  const reps = Number(process.argv[process.argv.indexOf('--reps') + 1] || 30) || 30;
  core.setSeed(7);
  const stateful = new core.Sequential({ layers: [new core.LSTM({ units: UNITS, stateful: true, batchInputShape: [1, 1, FEATURES] })] });
  const plain = new core.Sequential({ layers: [new core.LSTM({ units: UNITS, inputShape: [STEPS, FEATURES] })] });
  plain.setWeights(stateful.getWeights());
  const xs = new Float32Array(STEPS * FEATURES).map((_, i) => Math.sin(i * 0.37));
  const steps = Array.from({ length: STEPS }, (_, t) => tf.tensor3d(xs.subarray(t * FEATURES, (t + 1) * FEATURES), [1, 1, FEATURES]));
  const predictRun = () => {
    stateful.resetStates();
    for (const x of steps) {
      const y = stateful.predict(x);
      y.dataSync();
      y.dispose();
    }
  };
  const stepper = new core.SequenceStepper(plain);
  const rows = Array.from({ length: STEPS }, (_, t) => xs.subarray(t * FEATURES, (t + 1) * FEATURES));
  const stepperRun = () => {
    stepper.resetStates();
    for (const x of rows) stepper.step(x);
  };
  const results = { 'stateful predict per step': timePerStep(predictRun, reps), 'SequenceStepper.step': timePerStep(stepperRun, reps) };
  console.log(`W6: LSTM(${UNITS}), batch 1, ${FEATURES} features, ${STEPS} steps; kernels ${core.info().implementation}`);
  console.log('| path | ms per step (median) | fastest |');
  console.log('|---|---|---|');
  for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${r.median.toFixed(4)} | ${r.min.toFixed(4)} |`);
  console.log(addonStepRows(plain, rows, reps));
  steps.forEach((t) => t.dispose());
  stateful.dispose();
  plain.dispose();
}

/** The addon's step alone on the LSTM's weights, in place and packed, alternated: table rows. */
function addonStepRows(model, rows, reps) {
  const load = loadNativeAddon();
  if (!load.ok) return `(the addon's step alone: not measured, ${load.error})`;
  const { addon } = load;
  const [kernel, recurrentKernel, bias] = model.layers[0].getWeights().map((w) => w.dataSync().slice());
  const packed = addon.packStepWeights('lstm', FEATURES, UNITS, kernel, recurrentKernel);
  const h = new Float32Array(UNITS), c = new Float32Array(UNITS);
  const run = (weights) => () => {
    h.fill(0);
    c.fill(0);
    for (const x of rows) addon.step('lstm', 'tanh', 'sigmoid', false, 1, FEATURES, UNITS, x, kernel, recurrentKernel, bias, h, c, weights);
  };
  const inPlace = [], fromPacked = [];
  for (let i = 0; i < 3; i++) {
    inPlace.push(timePerStep(run(null), reps));
    fromPacked.push(timePerStep(run(packed), reps));
  }
  // The call's own cost: the same arguments' checks around a step of one unit and one feature.
  const one = [new Float32Array(1), new Float32Array(4), new Float32Array(4), new Float32Array(4), new Float32Array(1), new Float32Array(1)];
  const callOnly = [];
  for (let i = 0; i < 3; i++) {
    callOnly.push(timePerStep(() => {
      for (let t = 0; t < STEPS; t++) addon.step('lstm', 'tanh', 'sigmoid', false, 1, 1, 1, ...one);
    }, reps));
  }
  const line = (name, results) => `| ${name} | ${results.map((r) => r.median.toFixed(4)).join(', ')} | ${results.map((r) => r.min.toFixed(4)).join(', ')} |`;
  return ['', `The addon's step alone, three alternations${packed ? '' : ' (one block: nothing to pack on this machine)'}:`,
    '| weights | ms per step (medians) | fastest |', '|---|---|---|',
    line('read in place', inPlace), line('packed by block', fromPacked), line('the call alone (LSTM(1), 1 feature)', callOnly)].join('\n');
}

main();
