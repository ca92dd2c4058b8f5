#!/usr/bin/env node
// tfjs's own 'cpu' kernels vs the TypeScript replacements in src/cpu_kernels, median ms per call on
// shapes from a GRU training step. Run after `npx tsc -b packages/kernels`:
//   node packages/kernels/scripts/cpu-kernels-timing.js
'use strict';
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { medianMs } = require('./median_time');
const { registerCpuKernelOverrides, unregisterCpuKernelOverrides } = require(path.join(__dirname, '..', 'dist', 'cpu_kernels', 'register.js'));

async function main() {
  await tf.setBackend('cpu');
  const t = (shape) => tf.randomNormal(shape);
  const w = t([128, 384]), w2 = t([128, 384]), s = tf.scalar(0.9), y = t([128, 60]), col = t([128, 1]), bias = t([60]);
  const seq = t([128, 10, 60]), h = t([128, 384]), slab = t([10, 128, 384]);
  const cases = [
    ['Multiply [128,384] * scalar', () => tf.mul(w, s)],
    ['Add [128,384] + [128,384]', () => tf.add(w, w2)],
    ['RealDiv [128,384] / [128,384]', () => tf.div(w, w2)],
    ['Multiply [128,1] * [128,60] (column)', () => tf.mul(col, y)],
    ['Add [128,60] + [60] (trailing vector)', () => tf.add(y, bias)],
    ['Maximum [128,60] with scalar', () => tf.maximum(y, s)],
    ['SquaredDifference [128,384]', () => tf.squaredDifference(w, w2)],
    ['GreaterEqual [128,60] with scalar', () => tf.greaterEqual(y, s)],
    ['Add [10,128,384] + [1,128,1] (general)', () => tf.add(slab, tf.reshape(col, [1, 128, 1]))],
    ['Sqrt [128,384]', () => tf.sqrt(tf.abs(w))],
    ['Slice [128,10,60] -> [128,1,60]', () => tf.slice(seq, [0, 4, 0], [128, 1, 60])],
    ['Slice [128,384] -> [128,128]', () => tf.slice(h, [0, 128], [128, 128])],
    ['PadV2 [128,1,60] -> [128,10,60]', () => tf.pad(tf.slice(seq, [0, 4, 0], [128, 1, 60]), [[0, 0], [4, 5], [0, 0]])],
  ];
  const rows = [];
  for (const [name, op] of cases) {
    // (tidy must not return the data: it would walk the whole typed array looking for tensors)
    const fn = () => tf.tidy(() => { op().dataSync(); });
    unregisterCpuKernelOverrides();
    const plain = medianMs(fn, 41);
    registerCpuKernelOverrides();
    const ours = medianMs(fn, 41);
    rows.push({ kernel: name, 'tfjs cpu ms': plain.toFixed(3), 'replacement ms': ours.toFixed(3), speedup: (plain / ours).toFixed(1) });
  }
  unregisterCpuKernelOverrides();
  console.table(rows);
  console.log('(rows that chain ops, e.g. Sqrt of abs and PadV2 of a slice, time both kernels)');
}
main();
