/**
 * The ONNX Runtime column of bench/kernels.js: the inference workloads (layer_infer: an LSTM over the
 * whole sequence; step: one LSTM step per call with the state fed back) run by onnxruntime-node (a
 * development dependency, CPU execution provider, 2 intra-op threads) on models bench/export_onnx.py
 * exported from PyTorch. onnxruntime-node's run() is asynchronous: each call is awaited, as a Node
 * program using it would.
 */
'use strict';
const path = require('path');
const fs = require('fs');

/** Median and minimum ms of an async fn, after warm-up (the budget rules of bench/kernels.js). */
async function timedStatsAsync(fn, { warmup, minReps, maxReps, budgetMs }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < budgetMs && times.length < maxReps)) {
    await new Promise((resolve) => setImmediate(resolve));
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return { median: times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2, min: times[0] };
}

/** { median, min } ms of workload w in `mode` with ONNX Runtime, the models in modelDir. */
async function measureOnnxWorkload(w, mode, timing, modelDir, xValues) {
  const ort = require('onnxruntime-node');
  const file = path.join(modelDir, `${w.id}.onnx`);
  if (!fs.existsSync(file)) throw new Error(`no ONNX model for ${w.id} in ${modelDir}`);
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'], intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  try {
    if (mode === 'layer_infer') {
      const x = new ort.Tensor('float32', xValues, [w.batch, w.time, w.features]);
      return await timedStatsAsync(async () => {
        const out = await session.run({ x });
        out.y.data; // eslint-disable-line no-unused-expressions
      }, timing);
    }
    if (mode === 'step') {
      const steps = [];
      for (let t = 0; t < w.time; t++) {
        const xt = new Float32Array(w.batch * w.features);
        for (let b = 0; b < w.batch; b++) xt.set(xValues.subarray((b * w.time + t) * w.features, (b * w.time + t + 1) * w.features), b * w.features);
        steps.push(new ort.Tensor('float32', xt, [w.batch, 1, w.features]));
      }
      const zeros = () => new ort.Tensor('float32', new Float32Array(w.batch * w.units), [1, w.batch, w.units]);
      const generate = async () => {
        let h = zeros(), c = zeros();
        for (const x of steps) {
          const out = await session.run({ x, h, c });
          h = out.h_out;
          c = out.c_out;
        }
      };
      const stats = await timedStatsAsync(generate, timing);
      return { median: stats.median / w.time, min: stats.min / w.time };
    }
    throw new Error(`ONNX Runtime runs the inference workloads only, not '${mode}'`);
  } finally {
    await session.release();
  }
}

module.exports = { measureOnnxWorkload };
