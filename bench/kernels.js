#!/usr/bin/env node
/**
 * Kernel benchmark (not a test): for each workload of bench/workloads.json, the median time of one
 * training step (forward, Dense + softmax cross-entropy on the last output, backward, SGD update) and
 * of inference, or for the model workloads (bench/conv_lstm.js) one training step of a whole model. Columns:
 *   - native: the project's kernels at the kernel level, with the native addon: recurrentSequence, Dense as
 *     denseMatMul with its bias (the op the Dense layer runs), the loss as the project's fused ops
 *     (softmaxLastAxis, then softmaxCrossEntropyLastAxis from the logits, mean over the batch), gradients and
 *     the update by tfjs's tf.train.sgd().minimize; inference is softmaxLastAxis of the logits;
 *   - api: the same workloads through the public model API of @recurrent/core on the native kernels
 *     (bench/public_api.js: Sequential, compile, trainOnBatch / predictOnBatch / a stateful predict per step);
 *   - alternation: the native and api calls again, timed in alternation in one process on the same weights,
 *     so that their ratio and each one's median/min spread are measured on the same machine state (the
 *     separate cells above run one after the other, and this machine's speed drifts between them);
 *   - typescript: the native column's computation with the TypeScript kernels;
 *   - tf.layers: tf.layers.lstm / gru / simpleRNN + tf.layers.dense of @tensorflow/tfjs with tfjs's own 'cpu'
 *     kernels (the project's replacements removed), tf.losses.softmaxCrossEntropy and tf.softmax: tfjs as shipped;
 *   - PyTorch (bench/pytorch_rnn.py, 2 threads) when /usr/bin/python3 can import torch,
 *   - ONNX Runtime (onnxruntime-node, 2 threads; bench/onnx_runtime.js) on the inference workloads, with the
 *     models bench/export_onnx.py exports from PyTorch.
 * Run after `tsc -b packages/kernels` (the root `pnpm bench` does it). See docs/performance.md.
 *
 * Options: --quick (fewer repetitions), --only W1,W4 (workload ids), --skip native,api,alternation,typescript,layers,onnx,pytorch,
 * --rounds N (the whole table measured N times in turn, every column alike, PyTorch included; each cell reports the
 * median of its rounds' medians and the least of their fastest calls: on a machine whose speed drifts between
 * processes, one round's separate cells can each land in a slow or fast spell)
 *
 * Before and after the cells, the machine's own noise (bench/machine_noise.js): the median/min of a fixed
 * arithmetic loop and of its SIMD form, the spread the machine itself adds to any timing at that moment.
 *
 * Every cell of the table is measured in a fresh child process (`--child <id> <mode> <kind>`), so no
 * measurement inherits the heap of another (tf.layers leaves gigabytes behind). Between repetitions
 * the event loop runs once, untimed, as it does between the steps of `fit`: large result buffers are
 * recycled by finalizers that Node runs from the event loop.
 */
'use strict';
const path = require('path');
const os = require('os');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { runChildCell } = require('./child_run');
const { PYTHON, pythonEnv, scriptFailure } = require('./pytorch_process');

const ROOT = path.resolve(__dirname, '..');
const KERNELS_DIR = path.join(ROOT, 'packages', 'kernels');
// The same @tensorflow/tfjs instance as the kernels package (pnpm keeps it inside the package).
const tf = require(require.resolve('@tensorflow/tfjs', { paths: [KERNELS_DIR] }));
const kernels = require(path.join(KERNELS_DIR, 'dist', 'index.js'));
const { measureModelWorkload, describeModelWorkload } = require('./conv_lstm');
const { measureApiWorkload, apiRunner } = require('./public_api');
const { measureOnnxWorkload } = require('./onnx_runtime');
const { machineNoise, describeMachineNoise, briefMachineNoise } = require('./machine_noise');

function parseArgs(argv) {
  const args = { quick: false, only: null, skip: new Set(), child: null, rounds: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--child') {
      args.child = { id: argv[i + 1], mode: argv[i + 2], kind: argv[i + 3] };
      i += 3;
    }
    else if (a === '--only') args.only = new Set(argv[++i].split(','));
    else if (a === '--rounds') {
      args.rounds = Number(argv[++i]);
      if (!Number.isInteger(args.rounds) || args.rounds < 1 || args.rounds > 20) throw new Error(`--rounds: expected an integer from 1 to 20, got ${argv[i]}`);
    }
    else if (a === '--skip') for (const s of argv[++i].split(',')) args.skip.add(s);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/kernels.js [--quick] [--only W1,W2] [--skip native,api,alternation,typescript,layers,onnx,pytorch] [--rounds N]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/**
 * One call of fn after a turn of the event loop (untimed, as between the steps of `fit`: large result
 * buffers are recycled by finalizers that Node runs from it); its wall time (ms) is pushed onto `into`.
 */
async function timeOne(fn, into) {
  await new Promise((resolve) => setImmediate(resolve));
  const t0 = performance.now();
  fn();
  into.push(performance.now() - t0);
}

/** Median and minimum wall time (ms) of fn, after warm-up, repeating until both minReps and budgetMs are met. */
async function timedStats(fn, { warmup, minReps, maxReps, budgetMs }) {
  for (let i = 0; i < warmup; i++) await timeOne(fn, []);
  const times = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < budgetMs && times.length < maxReps)) await timeOne(fn, times);
  return summarize(times);
}

function summarize(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return { median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, min: sorted[0] };
}

/**
 * Median and minimum wall time (ms) of two functions timed in alternation in this process (a then b, then b
 * then a, ...), so that both see the same machine: their ratio is not moved by load that changes between
 * the separate child processes of the other columns.
 */
async function timedAlternation(a, b, { warmup, minReps, maxReps, budgetMs }) {
  for (let i = 0; i < warmup; i++) {
    await timeOne(a, []);
    await timeOne(b, []);
  }
  const ta = [];
  const tb = [];
  const start = performance.now();
  // Twice the single-function budget: each function gets about as many repetitions as in its own cell.
  while (ta.length < minReps || (performance.now() - start < 2 * budgetMs && ta.length < maxReps)) {
    if (ta.length % 2 === 0) {
      await timeOne(a, ta);
      await timeOne(b, tb);
    } else {
      await timeOne(b, tb);
      await timeOne(a, ta);
    }
  }
  return [summarize(ta), summarize(tb)];
}

async function medianMs(fn, timing) {
  return (await timedStats(fn, timing)).median;
}

function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GATES = { simple_rnn: 1, lstm: 4, gru: 3 };

function makeData(w) {
  const rand = seeded(42);
  const n = w.batch * w.time * w.features;
  const xs = new Float32Array(n);
  if (w.oneHot) {
    for (let r = 0; r < w.batch * w.time; r++) xs[r * w.features + Math.floor(rand() * w.features)] = 1;
  } else {
    for (let i = 0; i < n; i++) xs[i] = rand() * 2 - 1;
  }
  const x = tf.tensor3d(xs, [w.batch, w.time, w.features]);
  const labels = w.classes
    ? tf.oneHot(tf.tensor1d(Array.from({ length: w.batch }, () => Math.floor(rand() * w.classes)), 'int32'), w.classes).toFloat()
    : null;
  return { x, labels };
}

function uniform(shape, scale, rand) {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => (rand() * 2 - 1) * scale), shape);
}

/**
 * The model on the fused kernel: recurrentSequence -> last output -> Dense(classes). `initial` (optional):
 * its weights in Keras order (kernel, recurrent kernel, bias, Dense kernel, Dense bias), taken over.
 */
function fusedModel(w, initial) {
  const rand = seeded(7);
  const GU = GATES[w.cell] * w.units;
  const names = ['kernel', 'recurrentKernel', 'bias', ...(w.classes ? ['denseKernel', 'denseBias'] : [])];
  const fresh = {
    kernel: () => uniform([w.features, GU], Math.sqrt(6 / (w.features + GU)), rand),
    recurrentKernel: () => uniform([w.units, GU], Math.sqrt(3 / w.units), rand),
    bias: () => tf.zeros(w.cell === 'gru' ? [2, GU] : [GU]),
    denseKernel: () => uniform([w.units, w.classes], Math.sqrt(6 / (w.units + w.classes)), rand),
    denseBias: () => tf.zeros([w.classes]),
  };
  if (initial && initial.length !== names.length) throw new Error(`expected ${names.length} weights, got ${initial.length}`);
  const v = {};
  names.forEach((name, i) => {
    const value = initial ? initial[i] : fresh[name]();
    v[name] = tf.variable(value);
    value.dispose();
  });
  const sequence = (x, initialH, initialC, flags = {}) =>
    kernels.recurrentSequence({ x, kernel: v.kernel, recurrentKernel: v.recurrentKernel, bias: v.bias, initialH, initialC }, { cell: w.cell, tag: w.id, ...flags });
  // A many-to-one layer (Keras's default): only the last step's output, no sequence, no final states.
  const lastOutput = (x) => sequence(x, null, null, { returnSequences: false, returnState: false }).outputs;
  return {
    vars: Object.values(v),
    sequence,
    logits: (x) => kernels.denseMatMul(lastOutput(x), v.denseKernel, v.denseBias),
    dispose: () => Object.values(v).forEach((t) => t.dispose()),
  };
}

/** The same model from tf.layers. */
function layersModel(w) {
  const make = { lstm: tf.layers.lstm, gru: tf.layers.gru, simple_rnn: tf.layers.simpleRNN }[w.cell];
  // tfjs's GRU only has reset_after=false (its bias is [3U]); the cost is the same as resetAfter=true.
  const rnn = make({ units: w.units, returnState: w.modes.includes('step'), recurrentActivation: w.cell === 'simple_rnn' ? undefined : 'sigmoid' });
  const dense = w.classes ? tf.layers.dense({ units: w.classes }) : null;
  return {
    rnn,
    logits: (x) => dense.apply(rnn.apply(x)),
    weights: () => [...rnn.trainableWeights, ...(dense ? dense.trainableWeights : [])].map((lw) => lw.read()),
    vars: () => [...rnn.trainableWeights, ...(dense ? dense.trainableWeights : [])].map((lw) => lw.val),
    dispose: () => {
      rnn.dispose();
      if (dense) dense.dispose();
    },
  };
}

/** tfjs's softmax cross-entropy as shipped: log-softmax of the logits from several tfjs ops, mean over the batch. */
function stockSoftmaxCrossEntropy(labels, logits) {
  return tf.losses.softmaxCrossEntropy(labels, logits);
}

/**
 * The project's fused loss: softmax over the last axis, then the cross-entropy computed from the logits
 * (reading that softmax, as the training engine does for a Dense softmax output), mean over the batch.
 */
function fusedSoftmaxCrossEntropy(labels, logits) {
  return tf.mean(kernels.softmaxCrossEntropyLastAxis(labels, logits, kernels.softmaxLastAxis(logits)));
}

function trainStep(optimizer, logitsFn, x, labels, varList, lossFn) {
  return () => {
    const cost = optimizer.minimize(() => lossFn(labels, logitsFn(x)), true, varList);
    cost.dataSync();
    cost.dispose();
  };
}

function inferStep(logitsFn, x, softmax) {
  // The braces matter: tf.tidy walks whatever it returns, element by element for a typed array.
  return () => tf.tidy(() => {
    softmax(logitsFn(x)).dataSync();
  });
}

function timingFor(kind, quick) {
  if (kind === 'layers') return quick ? { warmup: 0, minReps: 1, maxReps: 1, budgetMs: 0 } : { warmup: 1, minReps: 2, maxReps: 3, budgetMs: 5000 };
  if (kind === 'typescript') return quick ? { warmup: 1, minReps: 2, maxReps: 5, budgetMs: 1500 } : { warmup: 1, minReps: 3, maxReps: 20, budgetMs: 4000 };
  // 30 untimed calls: a program calls predict or trainOnBatch thousands of times, and V8 optimizes the model
  // API's JavaScript only after a few dozen (with 3, the api column's median included unoptimized calls).
  return quick ? { warmup: 2, minReps: 5, maxReps: 50, budgetMs: 1000 } : { warmup: 30, minReps: 10, maxReps: 200, budgetMs: 3000 };
}

/** The call the native column times for workload w in `mode` on the fused model (ms per call / perCall). */
function nativeRunner(model, w, mode, x, labels) {
  if (mode === 'train') return { run: trainStep(tf.train.sgd(0.01), model.logits, x, labels, model.vars, fusedSoftmaxCrossEntropy), perCall: 1 };
  if (mode === 'infer') return { run: inferStep(model.logits, x, kernels.softmaxLastAxis), perCall: 1 };
  if (mode === 'layer_infer') {
    return { run: () => tf.tidy(() => {
      model.sequence(x).outputs.dataSync();
    }), perCall: 1 };
  }
  if (mode === 'step') {
    return { run: () => generate(w, x, (xt, h, c) => {
      const r = model.sequence(xt, h, c);
      return r.c ? [r.h, r.c] : [r.h];
    }), perCall: w.time };
  }
  throw new Error(`unknown mode ${mode}`);
}

/** Median ms of workload w in `mode` for the fused kernels ('native' / 'typescript') or 'layers';
 * for 'api', { median, min }; for 'alternation', { native, api } each { median, min }. */
async function measure(kind, w, mode, quick) {
  const timing = timingFor(kind, quick);
  if (w.model) return kind === 'api' ? 'n/a' : measureModelWorkload(tf, kernels, kind, w, mode, timing, medianMs);
  const { x, labels } = makeData(w);
  try {
    if (kind === 'api') return await measureApiWorkload(tf, kernels, w, mode, timing, timedStats, { x, labels });
    if (kind === 'alternation') return await measureAlternation(w, mode, timing, x, labels);
    if (kind === 'onnx') return await measureOnnxWorkload(w, mode, timing, process.env.RECURRENT_BENCH_ONNX_DIR, x.dataSync());
    if (kind === 'layers') return await measureLayers(w, mode, x, labels, timing);
    kernels.setImplementation(kind);
    const model = fusedModel(w);
    try {
      const { run, perCall } = nativeRunner(model, w, mode, x, labels);
      return (await medianMs(run, timing)) / perCall;
    } finally {
      model.dispose();
    }
  } finally {
    x.dispose();
    if (labels) labels.dispose();
  }
}

/**
 * The native and api columns' calls timed in alternation in one process, the native one on a copy of the
 * api model's weights (the same arithmetic on the same values: some row functions take value-dependent
 * branches). Train steps update each copy separately; they stay the same computation.
 */
async function measureAlternation(w, mode, timing, x, labels) {
  const api = apiRunner(tf, kernels, w, mode, { x, labels });
  const model = fusedModel(w, api.weights());
  try {
    const native = nativeRunner(model, w, mode, x, labels);
    native.run();
    const [n, a] = await timedAlternation(native.run, api.run, timing);
    const per = (s, k) => ({ median: s.median / k, min: s.min / k });
    return { native: per(n, native.perCall), api: per(a, api.perCall) };
  } finally {
    model.dispose();
    api.dispose();
  }
}

async function measureLayers(w, mode, x, labels, timing) {
  const model = layersModel(w);
  try {
    // The first call builds the weights (orthogonal initialisation is slow): keep it out of the timing.
    tf.tidy(() => {
      if (mode === 'step') model.rnn.apply(tf.slice(x, [0, 0, 0], [-1, 1, -1]));
      else if (w.classes) model.logits(x);
      else model.rnn.apply(x);
    });
    if (mode === 'train') {
      return await medianMs(trainStep(tf.train.sgd(0.01), model.logits, x, labels, model.vars(), stockSoftmaxCrossEntropy), timing);
    }
    if (mode === 'infer') return await medianMs(inferStep(model.logits, x, (logits) => tf.softmax(logits)), timing);
    if (mode === 'layer_infer') return await medianMs(() => tf.tidy(() => {
      model.rnn.apply(x).dataSync();
    }), timing);
    if (mode === 'step') {
      return (await medianMs(() => generate(w, x, (xt, h, c) => {
        const [, ...states] = model.rnn.apply(xt, h ? { initialState: c ? [h, c] : [h] } : undefined);
        return states;
      }), timing)) / w.time;
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    model.dispose();
  }
}

/** Feeds x one timestep at a time, carrying the state; `step` returns the new states [h] or [h, c]
 * (the tidy frees the step's output, which tf.layers may share with h). */
function generate(w, x, step) {
  const steps = tf.unstack(x, 1).map((t) => t.expandDims(1));
  let h = null;
  let c = null;
  for (const xt of steps) {
    const [h2, c2] = tf.tidy(() => step(xt, h, c));
    if (h) h.dispose();
    if (c) c.dispose();
    h = h2;
    c = c2 ?? null;
  }
  h.dataSync();
  h.dispose();
  if (c) c.dispose();
  steps.forEach((t) => t.dispose());
}

/** Exports the ONNX models of the inference workloads (bench/export_onnx.py) into a fresh temporary folder. */
function exportOnnxModels() {
  try {
    require.resolve('onnxruntime-node');
  } catch {
    return { error: 'onnxruntime-node is not installed' };
  }
  if (!fs.existsSync(PYTHON)) return { error: `${PYTHON} not found (the models are exported from PyTorch)` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-bench-onnx-'));
  const run = spawnSync(PYTHON, [path.join(__dirname, 'export_onnx.py'), dir], { encoding: 'utf8', env: pythonEnv() });
  if (run.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { error: scriptFailure('export_onnx.py', run) };
  }
  process.env.RECURRENT_BENCH_ONNX_DIR = dir; // the children inherit it
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return { exported: JSON.parse(run.stdout.trim().split('\n').pop()).exported };
}

function runPytorch(args) {
  if (!fs.existsSync(PYTHON)) return { error: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', env: pythonEnv() });
  if (probe.status !== 0) return { error: `torch is not importable by ${PYTHON}: ${scriptFailure('import torch', probe)}` };
  const pyArgs = [path.join(__dirname, 'pytorch_rnn.py'), '--threads', '2'];
  if (args.quick) pyArgs.push('--quick');
  if (args.only) pyArgs.push('--only', [...args.only].join(','));
  const run = spawnSync(PYTHON, pyArgs, { encoding: 'utf8', maxBuffer: 1 << 24, env: pythonEnv() });
  if (run.status !== 0) return { error: scriptFailure('pytorch_rnn.py', run) };
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

/**
 * One cell from its rounds: a median of the medians, the least fastest call; the first message when a round has
 * one (failed, skipped, n/a) instead of a measurement.
 */
function combineRounds(cells) {
  const at = cells.findIndex((c) => c === undefined || typeof c === 'string');
  if (at >= 0) return cells[at];
  if (cells.every((c) => typeof c === 'number')) return summarize(cells).median;
  if (cells[0].native) return { native: combineRounds(cells.map((c) => c.native)), api: combineRounds(cells.map((c) => c.api)) };
  return { median: summarize(cells.map((c) => c.median)).median, min: Math.min(...cells.map((c) => c.min)) };
}

/** The table's cells of an alternation result (or of its absence). */
function alternationCells(alt) {
  if (typeof alt !== 'object') return [fmt(alt), '-', '-', '-', '-'];
  const { native: n, api: a } = alt;
  return [`${fmt(n.median)} (${fmt(n.min)})`, `${fmt(a.median)} (${fmt(a.min)})`, ratio(a.median, n.median), ratio(n.median, n.min), ratio(a.median, a.min)];
}

function fmt(ms) {
  if (ms === undefined || ms === null) return '-';
  if (typeof ms === 'string') return ms;
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x` : '-';
}

function describeCell(r) {
  if (typeof r !== 'object') return fmt(r);
  if (r.native) return `native ${describeCell(r.native)}, api ${describeCell(r.api)}`;
  return `${fmt(r.median)} (min ${fmt(r.min)})`;
}

function describeWorkload(w, mode) {
  if (w.model) return describeModelWorkload(w);
  const shape = `${w.cell} B=${w.batch} T=${w.time} F=${w.features}${w.oneHot ? ' one-hot' : ''} U=${w.units}`;
  const what = { train: `train step (+Dense(${w.classes}) softmax CE, SGD)`, infer: `inference (+Dense(${w.classes}) softmax)`, layer_infer: 'layer inference', step: 'ms per generated step' }[mode];
  return `${shape}, ${what}`;
}

/**
 * tf.layers is measured as tfjs ships it: loading the kernels package replaced some of tfjs's 'cpu'
 * kernels (Dense products, elementwise arithmetic, Slice), which would speed tf.layers up too.
 */
function useStockTfjsKernels() {
  require(path.join(KERNELS_DIR, 'dist', 'backend', 'native_cpu_overrides.js')).deactivateNativeCpuOverrides();
  require(path.join(KERNELS_DIR, 'dist', 'cpu_kernels', 'register.js')).unregisterCpuKernelOverrides();
  const i = kernels.info();
  if (i.nativeCpuOverrides || i.cpuKernelOverrides.length > 0) throw new Error('could not restore tfjs\'s own cpu kernels');
}

/** Child process: measures one cell of the table and prints its median as a JSON line. */
async function child(args) {
  tf.setBackend('cpu');
  const all = JSON.parse(fs.readFileSync(path.join(__dirname, 'workloads.json'), 'utf8')).workloads;
  const w = all.find((x) => x.id === args.child.id);
  if (!w) throw new Error(`unknown workload ${args.child.id}`);
  if (args.child.kind === 'layers') useStockTfjsKernels();
  const result = await measure(args.child.kind, w, args.child.mode, args.quick);
  const line = childLine(result);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The JSON line a child prints: { ms } for a median, { ms, min } for stats, { native, api } for an alternation. */
function childLine(result) {
  if (typeof result !== 'object') return { ms: result };
  if (result.native) return { native: result.native, api: result.api };
  return { ms: result.median, min: result.min };
}

/** Runs one cell of the table in a fresh process. */
function measureInChild(kind, w, mode, quick) {
  const childArgs = [__filename, '--child', w.id, mode, kind];
  if (quick) childArgs.push('--quick');
  const run = spawnSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !last || !last.startsWith('{')) {
    const why = (run.stderr || '').trim().split('\n').filter((l) => l.trim()).pop() || `exit code ${run.status}`;
    return `failed: ${why}`;
  }
  const parsed = JSON.parse(last);
  if (parsed.native) return parsed;
  return parsed.min === undefined ? parsed.ms : { median: parsed.ms, min: parsed.min };
}

/**
 * One round of the table: every cell in a fresh child process, then PyTorch's script once; returns
 * { [workload/mode]: { [column]: result } } with the pytorch and pytorchFastest columns filled in.
 */
function measureRound(args, workloads, kinds, onnx, nativeOk, round) {
  const rounds = args.rounds;
  const results = {};
  for (const w of workloads) {
    for (const mode of w.modes) {
      const key = `${w.id}/${mode}`;
      results[key] = {};
      for (const kind of kinds) {
        if ((kind === 'native' || kind === 'api' || kind === 'alternation') && !nativeOk) {
          results[key][kind] = 'n/a';
          continue;
        }
        if (kind === 'onnx' && (onnx.error || !onnx.exported.includes(w.id))) {
          results[key][kind] = onnx.error ? 'n/a' : '-';
          continue;
        }
        // W6's native column carries the state through the general kernel while its api column runs the one-step
        // path: different calls, so there is no like-for-like pair to alternate.
        if (kind === 'alternation' && (w.model || mode === 'step')) {
          results[key][kind] = '-';
          continue;
        }
        if ((w.skip ?? []).includes(kind) || (kind === 'api' && w.model)) {
          results[key][kind] = 'skipped';
          continue;
        }
        results[key][kind] = measureInChild(kind, w, mode, args.quick);
        const r = results[key][kind];
        process.stderr.write(`${rounds > 1 ? `round ${round} ` : ''}${key} ${kind}: ${describeCell(r)} ms\n`);
      }
    }
  }
  let torch = { error: 'skipped' };
  if (!args.skip.has('pytorch')) {
    torch = runPytorch(args);
    if (torch.error) console.log(`pytorch: ${torch.error}`);
    else if (round === 1) console.log(`pytorch ${torch.torch}, ${torch.threads} threads`);
  }
  for (const key of Object.keys(results)) {
    results[key].pytorch = torch.results ? torch.results[key] : undefined;
    results[key].pytorchFastest = torch.fastest ? torch.fastest[key] : undefined;
  }
  return results;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    runChildCell(child, args);
    return;
  }
  tf.setBackend('cpu');
  const workloads = JSON.parse(fs.readFileSync(path.join(__dirname, 'workloads.json'), 'utf8')).workloads.filter((w) => !args.only || args.only.has(w.id));
  const kinds = ['native', 'api', 'alternation', 'typescript', 'layers', 'onnx'].filter((k) => !args.skip.has(k));
  const onnx = kinds.includes('onnx') ? exportOnnxModels() : { error: 'skipped' };
  if (onnx.error) console.log(`onnx runtime: ${onnx.error}`);
  const nativeOk = (() => {
    try {
      kernels.setImplementation('native');
      return true;
    } catch (e) {
      console.log(`native kernels unavailable: ${e.message}`);
      return false;
    }
  })();
  const i = kernels.info();
  console.log(`# recurrent kernel benchmark${args.quick ? ' (--quick)' : ''}`);
  console.log(`node ${process.version}, tfjs ${i.tfjsVersion} backend '${i.backend}', ${os.cpus()[0].model}, ${os.cpus().length} cpus`);
  console.log(`native: ${nativeOk ? `simd ${i.simd}, ${i.threads} threads, cpu overrides ${i.nativeCpuOverrides ? 'on' : 'off'}` : 'unavailable'}`);

  if (args.rounds > 1) console.log(`rounds: ${args.rounds} (each cell: the median of its rounds' medians, the least of their fastest calls)`);
  // Before and after the cells: a shared machine's noise changes from minute to minute.
  const noiseBefore = machineNoise();
  console.log(`${describeMachineNoise(noiseBefore)} before the cells: what the machine itself adds to every median/min below`);
  const rounds = [];
  for (let round = 1; round <= args.rounds; round++) rounds.push(measureRound(args, workloads, kinds, onnx, nativeOk, round));
  const results = {};
  for (const key of Object.keys(rounds[0])) {
    results[key] = {};
    for (const kind of Object.keys(rounds[0][key])) results[key][kind] = combineRounds(rounds.map((r) => r[key][kind]));
    const fastest = rounds.map((r) => r[key].pytorchFastest);
    if (fastest.every((f) => typeof f === 'number')) results[key].pytorchFastest = Math.min(...fastest);
  }

  const header = ['workload', 'what', 'native ms', 'api ms (min)', 'typescript ms', 'tf.layers ms', 'pytorch ms', 'onnx runtime ms', 'api/native', 'api median/min', 'tf.layers/native', 'typescript/native', 'pytorch/native', 'pytorch/api', 'onnx/native', 'onnx/api', 'pytorch median/min',
    'alternated: native ms (min)', 'api ms (min)', 'api/native', 'native median/min', 'api median/min'];
  const rows = Object.entries(results).map(([key, r]) => {
    const [id, mode] = key.split('/');
    const w = workloads.find((x) => x.id === id);
    const api = typeof r.api === 'object' ? r.api : { median: r.api, min: undefined };
    const apiCell = api.min === undefined ? fmt(api.median) : `${fmt(api.median)} (${fmt(api.min)})`;
    const ort = typeof r.onnx === 'object' ? r.onnx.median : r.onnx;
    return [key, describeWorkload(w, mode), fmt(r.native), apiCell, fmt(r.typescript), fmt(r.layers), fmt(r.pytorch), fmt(ort),
      ratio(api.median, r.native), ratio(api.median, api.min), ratio(r.layers, r.native), ratio(r.typescript, r.native), ratio(r.pytorch, r.native), ratio(r.pytorch, api.median),
      ratio(ort, r.native), ratio(ort, api.median), ratio(r.pytorch, r.pytorchFastest), ...alternationCells(r.alternation)];
  });
  console.log('');
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('\nRatios above 1 mean the native kernel is faster. Medians of repeated runs; tf.layers uses few repetitions.');
  console.log(`${describeMachineNoise(noiseBefore)} before the cells; ${briefMachineNoise(machineNoise())} after them`);
}

main();
