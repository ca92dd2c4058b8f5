/**
 * The model workloads of the benchmark (workloads with a "model" field): an IMDB-style sentiment model,
 * Embedding(vocab, embedding) -> Conv1D(filters, kernelSize, relu) -> MaxPooling1D(pool) -> LSTM(units)
 * -> Dense(1, sigmoid), one training step (adam, binary cross-entropy) on a batch of token ids, built
 *   - with @recurrent/core (the 'native' and 'typescript' columns: Model.trainOnBatch), and
 *   - with tf.layers of @tensorflow/tfjs (the 'layers' column: the same layers, adam.minimize).
 * bench/pytorch_rnn.py builds the PyTorch twin.
 */
'use strict';
const path = require('path');

const CORE_DIR = path.resolve(__dirname, '..', 'packages', 'core');

function tokenBatch(tf, w, seed) {
  const x = tf.tidy(() => tf.randomUniform([w.batch, w.time], 0, w.vocab, 'int32', seed).cast('float32'));
  const y = tf.tidy(() => tf.randomUniform([w.batch, 1], 0, 2, 'int32', seed + 1).cast('float32'));
  return { x, y };
}

/** The model with @recurrent/core; returns a synchronous training step. */
function coreTrainStep(w) {
  const core = require(path.join(CORE_DIR, 'dist', 'index.js'));
  core.setSeed(7);
  const model = new core.Sequential({
    layers: [
      new core.Embedding({ inputDim: w.vocab, outputDim: w.embedding, inputShape: [w.time] }),
      new core.Conv1D({ filters: w.filters, kernelSize: w.kernelSize, activation: 'relu' }),
      new core.MaxPooling1D({ poolSize: w.pool }),
      new core.LSTM({ units: w.units }),
      new core.Dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  return {
    step: (x, y) => model.trainOnBatch(x, y),
    dispose: () => model.dispose(),
  };
}

/** The same model with tf.layers (tfjs's recurrent_activation default is hard_sigmoid: use Keras's sigmoid). */
function layersTrainStep(tf, w) {
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: w.vocab, outputDim: w.embedding, inputLength: w.time }),
      tf.layers.conv1d({ filters: w.filters, kernelSize: w.kernelSize, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: w.pool }),
      tf.layers.lstm({ units: w.units, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  const optimizer = tf.train.adam(0.001);
  const variables = model.trainableWeights.map((lw) => lw.val);
  return {
    step: (x, y) => {
      const cost = optimizer.minimize(() => tf.mean(tf.metrics.binaryCrossentropy(y, model.apply(x, { training: true }))), true, variables);
      cost.dataSync();
      cost.dispose();
    },
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/** Median ms of one training step of model workload `w` for `kind` ('native', 'typescript' or 'layers'). */
async function measureModelWorkload(tf, kernels, kind, w, mode, timing, medianMs) {
  if (mode !== 'train') throw new Error(`model workloads measure 'train' only, got '${mode}'`);
  if (kind !== 'layers') kernels.setImplementation(kind);
  const { x, y } = tokenBatch(tf, w, 3);
  const trainer = kind === 'layers' ? layersTrainStep(tf, w) : coreTrainStep(w);
  try {
    trainer.step(x, y); // builds the weights (orthogonal initialisation) outside the timing
    return await medianMs(() => trainer.step(x, y), timing);
  } finally {
    trainer.dispose();
    x.dispose();
    y.dispose();
  }
}

function describeModelWorkload(w) {
  return `Embedding(${w.vocab}, ${w.embedding}) -> Conv1D(${w.filters}, ${w.kernelSize}, relu) -> MaxPooling1D(${w.pool}) -> LSTM(${w.units}) -> Dense(1, sigmoid), B=${w.batch} T=${w.time}, train step (adam, binary CE)`;
}

module.exports = { measureModelWorkload, describeModelWorkload, coreTrainStep, tokenBatch };
