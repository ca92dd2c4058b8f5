/**
 * The workloads of bench/workloads.json through the public model API of @recurrent/core (the 'api'
 * column of bench/kernels.js), on the native kernels:
 *   - train: Sequential([SimpleRNN|LSTM|GRU(units), Dense(classes, softmax)]), compile({ optimizer: 'sgd',
 *     loss: 'categorical_crossentropy' }), one trainOnBatch;
 *   - infer: predictOnBatch of the same model;
 *   - layer_infer: Sequential([LSTM(units, returnSequences)]), predictOnBatch;
 *   - step: a stateful LSTM(units) fed one timestep per predict call (ms per step).
 * The kernel-level 'native' column runs the same arithmetic without the model API around it.
 */
'use strict';
const path = require('path');

const CORE_DIR = path.resolve(__dirname, '..', 'packages', 'core');

const LAYERS = { lstm: 'LSTM', gru: 'GRU', simple_rnn: 'SimpleRNN' };

function recurrentLayer(core, w, extra) {
  return new core[LAYERS[w.cell]]({ units: w.units, ...extra });
}

function model(core, w, mode) {
  core.setSeed(7);
  if (mode === 'step') {
    return new core.Sequential({ layers: [recurrentLayer(core, w, { stateful: true, batchInputShape: [1, 1, w.features] })] });
  }
  if (mode === 'layer_infer') {
    return new core.Sequential({ layers: [recurrentLayer(core, w, { returnSequences: true, inputShape: [w.time, w.features] })] });
  }
  const m = new core.Sequential({
    layers: [recurrentLayer(core, w, { inputShape: [w.time, w.features] }), new core.Dense({ units: w.classes, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  return m;
}

/**
 * The call the api column times for workload w in `mode`, on a fresh model: { run, perCall, weights, dispose }.
 * `run` is one trainOnBatch, one predictOnBatch (its output read), or for 'step' one generated sequence (its
 * time divided by perCall = the steps); `weights` are the model's weights in Keras order (kernel, recurrent
 * kernel, bias, then Dense's kernel and bias), which the kernel-level twin copies to run the same arithmetic.
 */
function apiRunner(tf, kernels, w, mode, data) {
  const core = require(path.join(CORE_DIR, 'dist', 'index.js'));
  kernels.setImplementation('native');
  const m = model(core, w, mode);
  const { x, labels } = data;
  let run;
  let perCall = 1;
  let cleanup = () => {};
  if (mode === 'train') run = () => m.trainOnBatch(x, labels);
  else if (mode === 'infer' || mode === 'layer_infer') {
    run = () => {
      const y = m.predictOnBatch(x);
      y.dataSync();
      y.dispose();
    };
  } else if (mode === 'step') {
    const steps = tf.unstack(x, 1).map((t) => t.expandDims(1));
    run = () => {
      m.resetStates();
      let y = null;
      for (const xt of steps) {
        if (y) y.dispose();
        y = m.predict(xt);
      }
      y.dataSync();
      y.dispose();
    };
    perCall = w.time;
    cleanup = () => steps.forEach((t) => t.dispose());
  } else {
    m.dispose();
    throw new Error(`unknown mode ${mode}`);
  }
  run(); // builds the weights (and the execution plan) outside the timing
  return {
    run,
    perCall,
    weights: () => m.getWeights(),
    dispose: () => {
      cleanup();
      m.dispose();
    },
  };
}

/** Timing stats ({ median, min } ms) of workload w in `mode` through the public API. */
async function measureApiWorkload(tf, kernels, w, mode, timing, timedStats, data) {
  const runner = apiRunner(tf, kernels, w, mode, data);
  try {
    const stats = await timedStats(runner.run, timing);
    return { median: stats.median / runner.perCall, min: stats.min / runner.perCall };
  } finally {
    runner.dispose();
  }
}

module.exports = { measureApiWorkload, apiRunner };
