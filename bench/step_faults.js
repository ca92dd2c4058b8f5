/**
 * Page faults and garbage collections per training step (not a test): M1 (bench/conv_lstm.js's model,
 * trainOnBatch) or W1 (LSTM(256) -> Dense(10, softmax), sgd, trainOnBatch), as bench/kernels.js builds them.
 *
 *   node bench/step_faults.js M1 [steps]     (default 20 steps after 3 warm-up steps)
 *   node bench/step_faults.js W1 [steps]
 *
 * Each step runs after a turn of the event loop, as bench/kernels.js runs them. Prints ms per step (median, min),
 * minor page faults inside the steps (process.resourceUsage()), and the count and
 * milliseconds of garbage collections per step (perf_hooks 'gc' entries), split into scavenges and the rest.
 */
'use strict';
const path = require('path');
const { PerformanceObserver, performance } = require('perf_hooks');

const core = require(path.resolve(__dirname, '..', 'packages', 'core', 'dist', 'index.js'));
const tf = require(require.resolve('@tensorflow/tfjs', { paths: [path.resolve(__dirname, '..', 'packages', 'kernels')] }));

const { coreTrainStep, tokenBatch } = require('./conv_lstm');

const workloads = new Map(require('./workloads.json').workloads.map((w) => [w.id, w]));

/** M1 as the benchmark's native column builds it (bench/conv_lstm.js). */
function m1(w) {
  const { x, y } = tokenBatch(tf, w, 3);
  const trainer = coreTrainStep(w);
  return () => trainer.step(x, y);
}

function w1(w) {
  core.setSeed(7);
  const model = new core.Sequential({
    layers: [new core.LSTM({ units: w.units, inputShape: [w.time, w.features] }), new core.Dense({ units: w.classes, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const x = tf.randomNormal([w.batch, w.time, w.features], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([w.batch], 0, w.classes, 'int32', 2), w.classes).cast('float32'));
  return () => model.trainOnBatch(x, y);
}

async function main() {
  const id = process.argv[2];
  const steps = Number(process.argv[3] || 20);
  const builders = new Map([['M1', m1], ['W1', w1]]);
  if (!builders.has(id) || !workloads.has(id)) throw new Error(`usage: node bench/step_faults.js M1|W1 [steps] (got ${id})`);
  const step = builders.get(id)(workloads.get(id));
  // Each step after a turn of the event loop, as bench/kernels.js times them (finalizers run there).
  const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 3; i++) {
    await yieldToEventLoop();
    step();
  }
  const gc = { scavenges: 0, scavengeMs: 0, others: 0, otherMs: 0 };
  const count = (entries) => {
    for (const e of entries) {
      // kind 1 is a scavenge (minor GC); mark-sweep, incremental marking and weak callbacks are the rest.
      const kind = e.detail ? e.detail.kind : e.kind;
      if (kind === 1) { gc.scavenges++; gc.scavengeMs += e.duration; } else { gc.others++; gc.otherMs += e.duration; }
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const times = [];
  let faults = 0;
  for (let i = 0; i < steps; i++) {
    await yieldToEventLoop();
    const before = process.resourceUsage().minorPageFault;
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
    faults += process.resourceUsage().minorPageFault - before;
  }
  // The observer's entries arrive from the event loop: report after it has run.
  setImmediate(() => {
    count(observer.takeRecords());
    observer.disconnect();
    times.sort((a, b) => a - b);
    const per = (v) => (v / steps).toFixed(2);
    console.log(JSON.stringify({
      workload: id,
      steps,
      medianMs: +times[steps >> 1].toFixed(2),
      minMs: +times[0].toFixed(2),
      minorFaultsPerStep: +per(faults),
      scavengesPerStep: +per(gc.scavenges),
      scavengeMsPerStep: +per(gc.scavengeMs),
      otherGcPerStep: +per(gc.others),
      otherGcMsPerStep: +per(gc.otherMs),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }));
  });
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
