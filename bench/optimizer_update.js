#!/usr/bin/env node
/**
 * Optimizer update benchmark (not a test): one Adam update of a variable of 2.56M weights (the
 * Embedding(20000, 128) of the M1 model), through Adam.applyGradients on the 'cpu' backend, with the
 * addon's loop and with the JavaScript loop, interleaved (A, B, A, B, ...) so that both see the same
 * load; then the addon's call alone at several sizes on one thread and on all threads, which sets the
 * size from which native/optimizer_update.cc splits the arrays over the threads.
 * `npx pnpm@12.4.2 bench:optimizer` builds, then runs it. Options: --reps N (default 30).
 */
'use strict';
const os = require('os');
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const tf = require(require.resolve('@tensorflow/tfjs', { paths: [path.join(ROOT, 'packages/kernels')] }));
const kernels = require(path.join(ROOT, 'packages/kernels/dist/index.js'));
const core = require(path.join(ROOT, 'packages/core/dist/index.js'));
const { loadNativeAddon } = require(path.join(ROOT, 'packages/kernels/dist/native/load'));

const repsFlag = process.argv.indexOf('--reps');
const REPS = repsFlag > 0 ? Number(process.argv[repsFlag + 1]) : 30;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Lets Node run finalizers (pooled result buffers return to the pool), as between the steps of fit. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

function random(n, seed) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

async function adamThroughOptimizer(n) {
  const variable = tf.variable(tf.tensor(random(n, 1)));
  const gradient = tf.tensor(random(n, 2));
  const optimizers = { native: new core.Adam(), javascript: new core.Adam() };
  const times = { native: [], javascript: [] };
  for (let rep = 0; rep < REPS + 2; rep++) {
    for (const which of ['native', 'javascript']) {
      kernels.setImplementation(which === 'native' ? 'native' : 'typescript');
      const t0 = process.hrtime.bigint();
      optimizers[which].applyGradients([gradient], [variable]);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (rep >= 2) times[which].push(ms);
      await turn();
    }
  }
  kernels.setImplementation('native');
  tf.dispose([variable, gradient]);
  return times;
}

async function addonAlone(addon, n, threads) {
  addon.setThreads(threads);
  const g = random(n, 3), w = random(n, 4), m = random(n, 5), v = random(n, 6).map(Math.abs);
  const scalars = Float64Array.from([1, 0, 0.001, 0.9, 0.999, 1e-7]);
  const times = [];
  const reps = Math.max(REPS, Math.min(2000, Math.round(2e7 / n)));
  for (let rep = 0; rep < reps + 2; rep++) {
    const t0 = process.hrtime.bigint();
    const r = addon.optimizerUpdate('adam', g, w, m, v, scalars);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (rep >= 2) times.push(ms);
    for (const a of [r.weights, r.momentum, r.velocity]) addon.recycleResult(a);
    if (n >= 1 << 18) await turn();
  }
  return median(times);
}

async function main() {
  await tf.setBackend('cpu');
  const load = loadNativeAddon();
  if (!load.ok) throw new Error(`the native addon did not load: ${load.error}`);
  const addon = load.addon;
  const threads = addon.info().threads;
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${os.cpus().length} cpus, addon threads ${threads}`);
  const n = 20000 * 128;
  const t = await adamThroughOptimizer(n);
  for (const which of ['native', 'javascript']) {
    const med = median(t[which]);
    console.log(`Adam.applyGradients, ${n} weights, ${which}: median ${med.toFixed(2)} ms (min ${Math.min(...t[which]).toFixed(2)}), ${((med * 1e6) / n).toFixed(2)} ns/weight`);
  }
  console.log('addon optimizerUpdate(adam) alone, median ms: size | 1 thread | all threads');
  for (const size of [4096, 8192, 16384, 32768, 65536, 131072, 262144, 1 << 20, n]) {
    const one = await addonAlone(addon, size, 1);
    const all = await addonAlone(addon, size, threads);
    console.log(`${size} | ${one.toFixed(4)} | ${all.toFixed(4)}`);
  }
  addon.setThreads(threads);
  console.log(`load average after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
