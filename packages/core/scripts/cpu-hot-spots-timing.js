#!/usr/bin/env node
/**
 * CPU time of the operations that dominated training steps on tfjs's 'cpu' backend, each next to the
 * tfjs formulation it replaced: the Embedding lookup and its gradient, the softmax activation, the
 * Masking layer, and a whole training step of Embedding(5000, 64) -> LSTM(64) -> Dense(1) at B=32, T=50.
 * Needs the built packages: `npx tsc -b packages/core && node packages/core/scripts/cpu-hot-spots-timing.js`.
 * Times are process CPU time (user + system) per call, so other load on the machine matters less.
 */
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
const core = require(dist);
const kernels = require('@recurrent/kernels');
const tf = require('@tensorflow/tfjs');

/** CPU ms per call of fn. Callbacks given to tf.tidy return nothing: tidy would search a returned array for tensors. */
function cpuMs(fn, reps) {
  fn();
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / reps;
}

function row(what, before, after) {
  const ratio = before / after;
  console.log(`${what.padEnd(58)} ${before.toFixed(1).padStart(9)} ms ${after.toFixed(1).padStart(9)} ms ${ratio.toFixed(1).padStart(7)}x`);
}

tf.tidy(() => { tf.zeros([1]); }); // selects the backend
console.log(`implementation: ${kernels.info().implementation}, backend: ${tf.getBackend()}`);
console.log(`${'cpu ms per call'.padEnd(58)} ${'tfjs'.padStart(12)} ${'recurrent'.padStart(12)} ${'speed-up'.padStart(8)}`);

// Embedding: lookup + table gradient, [5000, 64] table, 32 x 50 ids. Gradients are taken with an explicit dy,
// so that only the op itself is timed (tf.sum's gradient is a slow broadcast on this backend).
const table = tf.randomNormal([5000, 64], 0, 1, 'float32', 1);
const ids = tf.randomUniform([32, 50], 0, 5000, 'int32', 2);
const dRows = tf.randomNormal([32, 50, 64], 0, 1, 'float32', 3);
const gatherGrad = tf.grad((w) => tf.gather(w, ids));
const scatterGrad = tf.grad(tf.customGrad((w, save) => {
  save([ids]);
  return { value: tf.gather(w, ids), gradFunc: (dy, [i]) => [tf.scatterND(i.reshape([-1, 1]), dy.reshape([-1, 64]), w.shape)] };
}));
const lookupGrad = tf.grad((w) => kernels.embeddingLookup(w, ids));
// tf.gather's gradient (unsortedSegmentSum) takes about a minute here: one repetition is enough.
row('Embedding lookup + gradient [5000,64], 32x50 ids', cpuMs(() => tf.tidy(() => { gatherGrad(table, dRows).dataSync(); }), 1),
  cpuMs(() => tf.tidy(() => { lookupGrad(table, dRows).dataSync(); }), 20));
row('  the same with tf.gather + a scatterND gradient', cpuMs(() => tf.tidy(() => { scatterGrad(table, dRows).dataSync(); }), 20),
  cpuMs(() => tf.tidy(() => { lookupGrad(table, dRows).dataSync(); }), 20));

// Softmax over a vocabulary: [32 * 50, 5000] and a small classifier head [32, 10].
for (const shape of [[1600, 5000], [32, 10]]) {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
  const w = tf.randomNormal(shape, 0, 1, 'float32', 4);
  const softmax = core.getActivation('softmax');
  const reps = shape[1] > 1000 ? 3 : 200;
  row(`softmax activation forward [${shape}]`, cpuMs(() => tf.tidy(() => { tf.softmax(x, -1).dataSync(); }), reps),
    cpuMs(() => tf.tidy(() => { softmax.apply(x).dataSync(); }), reps));
  const tfGrad = tf.grad((t) => tf.softmax(t, -1));
  const ourGrad = tf.grad((t) => softmax.apply(t));
  row(`softmax activation forward + gradient [${shape}]`, cpuMs(() => tf.tidy(() => { tfGrad(x, w).dataSync(); }), reps),
    cpuMs(() => tf.tidy(() => { ourGrad(x, w).dataSync(); }), reps));
}

// Masking: output and mask of a [32, 50, 64] batch.
const steps = tf.tidy(() => tf.randomNormal([32, 50, 64], 0, 1, 'float32', 5).mul(tf.randomUniform([32, 50, 1], 0, 2, 'int32', 6).cast('float32').tile([1, 1, 64])));
const masking = new core.Masking({ maskValue: 0 });
row('Masking output + mask [32,50,64]', cpuMs(() => tf.tidy(() => {
  const keep = tf.any(tf.notEqual(steps, 0), -1, true);
  steps.mul(keep.cast('float32')).dataSync();
  tf.any(tf.notEqual(steps, 0), -1).dataSync();
}), 50), cpuMs(() => tf.tidy(() => {
  const { outputs, mask } = masking.callAndComputeMask(steps, {});
  outputs.dataSync();
  mask.dataSync();
}), 50));

// A whole training step (Adam, binary cross-entropy).
core.setSeed(1);
const { layers } = core;
const m = core.sequential({ layers: [layers.embedding({ inputDim: 5000, outputDim: 64, inputShape: [50] }), layers.lstm({ units: 64 }), layers.dense({ units: 1, activation: 'sigmoid' })] });
m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
const y = tf.randomUniform([32, 1], 0, 2, 'int32', 7).cast('float32');
console.log(`training step Embedding(5000,64)->LSTM(64)->Dense(1), B=32 T=50: ${cpuMs(() => m.trainOnBatch(ids, y), 20).toFixed(1)} ms cpu`);
