#!/usr/bin/env node
// Plain tfjs 'cpu' matrix products vs the native overrides, median ms, and what their bit-identity to
// tfjs costs: the same products and whole training steps (W1 and W4 of bench/workloads.json at the
// kernel level: recurrent layer, Dense, softmax cross-entropy, SGD) with the overrides on the addon's
// tfjs-rounded product (what ships) and on its faster SGEMM (which rounds differently), the two
// alternating step by step so both see the same load. Run after `npx tsc -b packages/kernels`:
//   node packages/kernels/scripts/cpu-overrides-timing.js
'use strict';
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { medianMs } = require('./median_time');
const dist = path.join(__dirname, '..', 'dist');
const kernels = require(path.join(dist, 'index.js'));
const { registerNativeCpuOverrides, unregisterNativeCpuOverrides } = require(path.join(dist, 'native', 'cpu_overrides.js'));
const { loadNative } = require(path.join(dist, 'native', 'load.js'));

const addon = loadNative().addon;
const sgemmAddon = { ...addon, tfjsMatMul: addon.gemm };

/**
 * Median ms of fn with the overrides on each addon, alternating between them every call (the
 * switch untimed), after 3 warm-up rounds.
 */
function alternatingMedians(addons, fn, rounds) {
  const times = addons.map(() => []);
  for (let r = 0; r < rounds + 3; r++) {
    addons.forEach((which, i) => {
      unregisterNativeCpuOverrides();
      registerNativeCpuOverrides(which);
      const t0 = process.hrtime.bigint();
      fn();
      if (r >= 3) times[i].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

function products() {
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
      const [identical, sgemm] = alternatingMedians([addon, sgemmAddon], fn, 31);
      rows.push({
        product: `${name} [${aShape}]x[${bShape}]`,
        'tfjs cpu ms': plain.toFixed(3),
        'native ms': identical.toFixed(3),
        speedup: (plain / identical).toFixed(1),
        'native on SGEMM ms': sgemm.toFixed(3),
      });
    }
    tf.dispose([a, b, bias]);
  }
  console.table(rows);
}

/** One kernel-level training step of a workload: recurrent layer, Dense, softmax cross-entropy, SGD. */
function trainingStep(w) {
  const gates = { simple_rnn: 1, lstm: 4, gru: 3 }[w.cell];
  const v = {
    kernel: tf.variable(tf.randomUniform([w.features, gates * w.units], -0.1, 0.1)),
    recurrentKernel: tf.variable(tf.randomUniform([w.units, gates * w.units], -0.1, 0.1)),
    bias: tf.variable(tf.zeros([gates * w.units])),
    denseKernel: tf.variable(tf.randomUniform([w.units, w.classes], -0.1, 0.1)),
    denseBias: tf.variable(tf.zeros([w.classes])),
  };
  const x = tf.randomUniform([w.batch, w.time, w.features]);
  const labels = tf.oneHot(tf.randomUniform([w.batch], 0, w.classes, 'int32'), w.classes).toFloat();
  const optimizer = tf.train.sgd(0.01);
  const logits = () => {
    const h = kernels.recurrentSequence({ x, kernel: v.kernel, recurrentKernel: v.recurrentKernel, bias: v.bias }, { cell: w.cell }).h;
    return tf.add(tf.matMul(h, v.denseKernel), v.denseBias);
  };
  return () => {
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, logits()), true, Object.values(v));
    cost.dataSync();
    cost.dispose();
  };
}

function trainingSteps() {
  const rows = [];
  const workloads = [
    { id: 'W1', cell: 'lstm', batch: 32, time: 100, features: 128, units: 256, classes: 10, rounds: 41 },
    { id: 'W4', cell: 'simple_rnn', batch: 128, time: 10, features: 60, units: 128, classes: 60, rounds: 201 },
  ];
  for (const w of workloads) {
    const step = trainingStep(w);
    const [identical, sgemm] = alternatingMedians([addon, sgemmAddon], step, w.rounds);
    rows.push({ 'training step': `${w.id} (${w.cell} B=${w.batch} T=${w.time} U=${w.units}, Dense(${w.classes}))`, 'tfjs-identical ms': identical.toFixed(3), 'on SGEMM ms': sgemm.toFixed(3), cost: `${(((identical - sgemm) / sgemm) * 100).toFixed(1)}%` });
  }
  console.table(rows);
}

async function main() {
  await tf.setBackend('cpu');
  kernels.setImplementation('native');
  products();
  trainingSteps();
}
main();
