#!/usr/bin/env node
// Median wall-clock times of the raw native kernels (no tfjs) for the workloads of the kernel
// benchmark. Run after `npx tsc -b packages/kernels`. The train step here is the recurrent layer's
// forward + backward only (the Dense/softmax part of W1-W4 is not included).
//   node packages/kernels/scripts/native-timing.js [--simd avx512|avx2|scalar] [--threads N] [--reps N] [--phases]
'use strict';
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

let load;
try {
  load = require(path.join(__dirname, '..', 'dist', 'native', 'load.js')).loadNativeAddon();
} catch (e) {
  console.error(`dist/ is missing or stale (${e.message}); run 'npx tsc -b packages/kernels' first`);
  process.exit(1);
}
if (!load.ok) {
  console.error(`native addon unavailable: ${load.error}`);
  process.exit(1);
}
const { impl, addon } = load;
if (opt('simd')) addon.setSimd(opt('simd'));
if (opt('threads')) addon.setThreads(Number(opt('threads')));
const reps = Number(opt('reps', 15));

const GATES = { simple_rnn: 1, lstm: 4, gru: 3 };
function request(cell, B, T, F, U) {
  const G = GATES[cell];
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const arr = (n, s) => Float32Array.from({ length: n }, () => rand() * s);
  return {
    cell, batch: B, time: T, features: F, units: U,
    activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
    x: arr(B * T * F, 1), kernel: arr(F * G * U, 0.1), recurrentKernel: arr(U * G * U, 0.1),
    bias: arr(G * U * (cell === 'gru' ? 2 : 1), 0.1), initialH: null, initialC: null, mask: null,
    inputDropoutMask: null, recurrentDropoutMask: null,
  };
}

// Median wall time, and median process CPU time (user+system, all threads): on a machine shared
// with other work, CPU time shows the cost of the kernel itself, wall time what a caller waited.
function median(fn) {
  for (let i = 0; i < 3; i++) fn();
  const wall = [], cpu = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: mid(wall), cpu: mid(cpu) };
}

function trainStep(req) {
  const dOutputs = new Float32Array(req.batch * req.time * req.units).fill(0.01);
  return () => {
    const f = impl.forward(req);
    impl.backward({ ...req, workspace: f.workspace, dOutputs, dH: null, dC: null });
  };
}

const rows = [];
function report(name, t, note = '', divisor = 1) {
  rows.push({ workload: name, 'wall ms': (t.wall / divisor).toFixed(3), 'cpu ms': (t.cpu / divisor).toFixed(3), note });
}

const info = addon.info();
const loadAverage = require('os').loadavg()[0];
console.log(`native kernels: simd=${info.simd} threads=${info.threads} reps=${reps}; 1-minute load average ${loadAverage.toFixed(2)} on ${require('os').cpus().length} CPUs`);

for (const [name, cell, B, T, F, U] of [
  ['W1 LSTM', 'lstm', 32, 100, 128, 256],
  ['W2 GRU', 'gru', 32, 100, 128, 256],
  ['W3 SimpleRNN', 'simple_rnn', 32, 100, 128, 256],
  ['W4 char SimpleRNN', 'simple_rnn', 128, 10, 60, 128],
]) {
  const req = request(cell, B, T, F, U);
  report(`${name} forward`, median(() => impl.forward(req)));
  report(`${name} forward+backward`, median(trainStep(req)));
}
// Inference as the op runs it outside a gradient tape: no workspace; and as a many-to-one layer
// (returnSequences false) runs it: only the last step's output.
for (const B of [64, 1]) {
  const req = { ...request('lstm', B, 100, 128, 256), saveWorkspace: false };
  report(`W5 LSTM(256) inference batch ${B}`, median(() => impl.forward(req)));
  report(`W5 LSTM(256) many-to-one inference batch ${B}`, median(() => impl.forward({ ...req, returnSequences: false, returnState: false })));
}
for (const [name, cell, F, U] of [['W6 LSTM(256) per step', 'lstm', 128, 256], ['W6 char SimpleRNN(128) per step', 'simple_rnn', 60, 128]]) {
  const req = request(cell, 1, 1, F, U);
  let h = new Float32Array(U), c = new Float32Array(U);
  const steps = 100;
  const t = median(() => {
    for (let s = 0; s < steps; s++) {
      const r = impl.forward({ ...req, initialH: h, initialC: cell === 'lstm' ? c : null });
      h = r.h;
      if (r.c) c = r.c;
    }
  });
  report(name, t, 'one forward call per step, state carried', steps);
}
console.table(rows);
