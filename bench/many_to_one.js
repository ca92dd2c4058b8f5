#!/usr/bin/env node
/**
 * Time and memory of a many-to-one LSTM layer (not a test): LSTM(units, returnSequences false) of
 * @recurrent/core applied to x [batch, time, features], in inference (outside any gradient tape,
 * the way `predict` runs it) or for a training step (the gradients of sum(output) with respect to
 * the layer's weights). Each run is a fresh child process, which reports the median wall time of a
 * call, the median CPU time of the process per call (less sensitive than wall time to other work on a
 * shared machine) and the growth of its peak resident memory over the calls (so the weights, the input
 * and the library are not counted). Run after `pnpm run build`.
 *
 *   node bench/many_to_one.js [--mode infer|train] [--batch 64] [--time 100] [--features 128]
 *                             [--units 256] [--kernels native|typescript] [--reps 10]
 */
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');

function options(argv) {
  const o = { mode: 'infer', batch: 64, time: 100, features: 128, units: 256, kernels: 'native', reps: 10, child: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'child') o.child = true;
    else if (name in o) o[name] = name === 'kernels' || name === 'mode' ? argv[++i] : Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

function child(o) {
  const core = require(path.join(ROOT, 'packages', 'core', 'dist', 'index.js'));
  const kernels = require(path.join(ROOT, 'packages', 'kernels', 'dist', 'index.js'));
  const tf = require(require.resolve('@tensorflow/tfjs', { paths: [path.join(ROOT, 'packages', 'kernels')] }));
  tf.setBackend('cpu');
  kernels.setImplementation(o.kernels);
  const layer = new core.LSTM({ units: o.units, returnSequences: false });
  const x = tf.randomUniform([o.batch, o.time, o.features], -1, 1, 'float32', 1);
  layer.build([o.batch, o.time, o.features]);
  // Create the weights (lazily initialised) before the baseline is taken.
  for (const w of layer.weights) w.read();
  const variables = layer.trainableWeights.map((w) => w.val);
  const call = o.mode === 'train'
    ? () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)), variables);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    }
    : () => tf.tidy(() => {
      layer.apply(x).dataSync();
    });
  const rssBefore = process.resourceUsage().maxRSS;
  const times = [];
  const cpuTimes = [];
  for (let r = 0; r < o.reps + 1; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    call();
    const cpu = process.cpuUsage(cpu0);
    if (r === 0) continue; // the first call warms up
    times.push(performance.now() - t0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const peakGrowthMB = (process.resourceUsage().maxRSS - rssBefore) / 1024;
  process.stdout.write(`${JSON.stringify({ ms: median(times), cpuMs: median(cpuTimes), peakGrowthMB, implementation: kernels.info().implementation })}\n`);
}

function main() {
  const o = options(process.argv.slice(2));
  if (o.child) return child(o);
  const args = [__filename, '--child', ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(run.stderr);
  const r = JSON.parse(run.stdout.trim().split('\n').pop());
  const loadAverage = require('os').loadavg()[0].toFixed(2);
  console.log(
    `LSTM(${o.units}) returnSequences=false ${o.mode === 'train' ? 'training step' : 'inference'}, x [${o.batch}, ${o.time}, ${o.features}], ${r.implementation} kernels: ` +
      `median ${r.ms.toFixed(1)} ms per call (CPU ${r.cpuMs.toFixed(1)} ms), peak memory +${r.peakGrowthMB.toFixed(1)} MB (1-minute load average ${loadAverage})`,
  );
}

main();
