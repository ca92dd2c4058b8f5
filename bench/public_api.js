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

/** Timing stats ({ median, min } ms) of workload w in `mode` through the public API. */
async function measureApiWorkload(tf, kernels, w, mode, timing, timedStats, data) {
  const core = require(path.join(CORE_DIR, 'dist', 'index.js'));
  kernels.setImplementation('native');
  const m = model(core, w, mode);
  const { x, labels } = data;
  try {
    if (mode === 'train') {
      m.trainOnBatch(x, labels); // builds the weights outside the timing
      return await timedStats(() => m.trainOnBatch(x, labels), timing);
    }
    if (mode === 'infer' || mode === 'layer_infer') {
      const run = () => {
        const y = m.predictOnBatch(x);
        y.dataSync();
        y.dispose();
      };
      run();
      return await timedStats(run, timing);
    }
    if (mode === 'step') {
      const steps = tf.unstack(x, 1).map((t) => t.expandDims(1));
      const generate = () => {
        m.resetStates();
        let y = null;
        for (const xt of steps) {
          if (y) y.dispose();
          y = m.predict(xt);
        }
        y.dataSync();
        y.dispose();
      };
      generate();
      const stats = await timedStats(generate, timing);
      steps.forEach((t) => t.dispose());
      return { median: stats.median / w.time, min: stats.min / w.time };
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    m.dispose();
  }
}

module.exports = { measureApiWorkload };
