#!/usr/bin/env node
// Plain tfjs 'cpu' matrix products vs the native overrides, median ms. Run after
// `npx tsc -b packages/kernels`:  node packages/kernels/scripts/cpu-overrides-timing.js
'use strict';
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { medianMs } = require('./median_time');
const { registerNativeCpuOverrides, unregisterNativeCpuOverrides } = require(path.join(__dirname, '..', 'dist', 'native', 'cpu_overrides.js'));

async function main() {
  await tf.setBackend('cpu');
  const rows = [];
  for (const [aShape, bShape] of [[[32, 256], [256, 10]], [[1280, 128], [128, 60]], [[128, 128], [128, 60]]]) {
    const a = tf.randomNormal(aShape), b = tf.randomNormal(bShape), bias = tf.randomNormal([bShape[1]]);
    // (tidy must not return the data: it would walk the whole typed array looking for tensors)
    const product = () => tf.tidy(() => { tf.matMul(a, b).dataSync(); });
    const dense = () => tf.tidy(() => { tf.fused.matMul({ a, b, bias, activation: 'relu' }).dataSync(); });
    const grad = () => tf.tidy(() => { tf.grads((x, y) => tf.sum(tf.matMul(x, y)))([a, b]).forEach((t) => t.dataSync()); });
    for (const [name, fn] of [['matMul', product], ['fused matMul+bias+relu', dense], ['matMul gradients', grad]]) {
      unregisterNativeCpuOverrides();
      const plain = medianMs(fn, 15);
      registerNativeCpuOverrides();
      const native = medianMs(fn, 15);
      rows.push({ product: `${name} [${aShape}]x[${bShape}]`, 'tfjs cpu ms': plain.toFixed(3), 'native ms': native.toFixed(3), speedup: (plain / native).toFixed(1) });
    }
    tf.dispose([a, b, bias]);
  }
  console.table(rows);
}
main();
