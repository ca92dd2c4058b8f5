/**
 * How far this machine alone spreads a timing: a fixed loop of floating-point arithmetic, no memory
 * traffic and no threads, timed many times in a row. Its median/min is what the machine itself adds
 * to the spread of every cell of the benchmarks: on a quiet machine about 1.0; on a shared virtual
 * machine the same instructions take up to a third longer from one call to the next (the AMD EPYC of
 * docs/performance.md: 1.09x-1.38x), and a kernel run there spreads at least about as much.
 *
 * The same loop in 128-bit SIMD form (WebAssembly f32x4, twelve independent chains) shows what the scalar
 * loop misses there: a neighbour sharing the physical core slows vector multiply-adds far more than scalar
 * ones (in 200 ms windows of that machine, a core's AVX2 multiply-add loop ran 1.7-1.9x slower for seconds at
 * a time, one core at a time, while a scalar chain did not slow at all). The kernels' products are such loops.
 */
'use strict';

/**
 * A fixed amount of arithmetic: `iterations` rounds of eight independent multiply-adds, which keep the
 * core's floating-point units busy as a kernel's products do (one dependent chain would wait on each
 * result, and a neighbour sharing the core would barely slow it). Returns their mean, 1 from a start
 * of 1 (the result keeps the JIT from dropping the loop).
 */
function arithmetic(iterations, start = 1) {
  let a = start, b = start, c = start, d = start, e = start, f = start, g = start, h = start;
  for (let i = 0; i < iterations; i++) {
    a = a * 0.999999 + 1e-6;
    b = b * 0.999998 + 2e-6;
    c = c * 0.999997 + 3e-6;
    d = d * 0.999996 + 4e-6;
    e = e * 0.999995 + 5e-6;
    f = f * 0.999994 + 6e-6;
    g = g * 0.999993 + 7e-6;
    h = h * 0.999992 + 8e-6;
  }
  return (a + b + c + d + e + f + g + h) / 8;
}

const SIMD_CHAINS = 12;
const SIMD_MULTIPLIER = 0.9999;
const SIMD_ADDEND = 1e-6;

function leb128(n) {
  const bytes = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    bytes.push(b);
  } while (n);
  return bytes;
}

/**
 * The WebAssembly module of `simdArithmetic`, assembled here (no toolchain needed): one function
 * run(iterations: i32) -> f32. Chain j (value j + 1 in every lane) becomes x * 0.9999 + 1e-6 each
 * round (f32x4.mul then f32x4.add: WebAssembly has no fused multiply-add); the result is lane 0 of the
 * chains' sum, added in chain order.
 */
function simdModuleBytes() {
  const splat = (v) => [0xfd, 0x0c, ...new Uint8Array(new Float32Array(4).fill(v).buffer)]; // v128.const
  const get = (i) => [0x20, i];
  const set = (i) => [0x21, i];
  const F32X4_ADD = [0xfd, 0xe4, 0x01];
  const F32X4_MUL = [0xfd, 0xe6, 0x01];
  const m = SIMD_CHAINS + 1, b = SIMD_CHAINS + 2; // locals: 0 = iterations, 1..12 chains, then m, b
  const body = [1, SIMD_CHAINS + 2, 0x7b]; // one run of 14 v128 locals
  for (let j = 0; j < SIMD_CHAINS; j++) body.push(...splat(j + 1), ...set(j + 1));
  body.push(...splat(SIMD_MULTIPLIER), ...set(m), ...splat(SIMD_ADDEND), ...set(b));
  body.push(0x02, 0x40, ...get(0), 0x45, 0x0d, 0); // block; br_if out when iterations == 0
  body.push(0x03, 0x40); // loop
  for (let j = 1; j <= SIMD_CHAINS; j++) body.push(...get(j), ...get(m), ...F32X4_MUL, ...get(b), ...F32X4_ADD, ...set(j));
  body.push(...get(0), 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x0b); // iterations -= 1; br_if loop; end loop; end block
  body.push(...get(1));
  for (let j = 2; j <= SIMD_CHAINS; j++) body.push(...get(j), ...F32X4_ADD);
  body.push(0xfd, 0x1f, 0, 0x0b); // f32x4.extract_lane 0; end
  const section = (id, bytes) => [id, ...leb128(bytes.length), ...bytes];
  const name = [...Buffer.from('run')];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // type: (i32) -> f32
    ...section(3, [1, 0]),
    ...section(7, [1, name.length, ...name, 0x00, 0]),
    ...section(10, [1, ...leb128(body.length), ...body]),
  ]);
}

let simdRun = null;

/**
 * The scalar loop's SIMD twin: `iterations` rounds of twelve independent 4-lane multiplies and adds
 * (WebAssembly SIMD, which V8 compiles to SSE/AVX instructions). Returns the chains' sum (float32).
 */
function simdArithmetic(iterations) {
  if (!simdRun) simdRun = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes())).exports.run;
  return simdRun(iterations);
}

/** The iterations of `loop` that take about `targetMs`, measured once after the loop is compiled. */
function calibratedIterations(loop, targetMs) {
  let iterations = 1 << 16;
  for (let i = 0; i < 20; i++) loop(iterations); // compiled before timing
  for (;;) {
    const t0 = performance.now();
    loop(iterations);
    const ms = performance.now() - t0;
    if (ms >= targetMs / 4 || iterations >= 1 << 30) return Math.max(1, Math.round(iterations * (targetMs / Math.max(ms, 1e-3))));
    iterations *= 4;
  }
}

/**
 * { median, min, spread } in ms of `reps` runs of the loop (`simd`: its SIMD twin), each about `targetMs`
 * long (calibrated once), and `value`, the loop's result.
 */
function arithmeticSpread({ reps = 200, targetMs = 1, simd = false } = {}) {
  const loop = simd ? simdArithmetic : arithmetic;
  const iterations = calibratedIterations(loop, targetMs);
  const times = [];
  let value = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    value = loop(iterations);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, min: times[0], spread: median / times[0], iterations, value };
}

/** The scalar and SIMD loops' spreads, measured one after the other: { scalar, simd }. */
function machineNoise(options = {}) {
  return { scalar: arithmeticSpread(options), simd: arithmeticSpread({ ...options, simd: true }) };
}

/** One line for a benchmark's report. */
function describeMachineNoise({ scalar, simd }) {
  return `machine noise: a fixed arithmetic loop (no memory, one thread) spreads ${scalar.spread.toFixed(2)}x median/min ` +
    `(${scalar.median.toFixed(3)} / ${scalar.min.toFixed(3)} ms), its SIMD form ${simd.spread.toFixed(2)}x ` +
    `(${simd.median.toFixed(3)} / ${simd.min.toFixed(3)} ms)`;
}

/** The two spreads in short, for the report's last line. */
function briefMachineNoise({ scalar, simd }) {
  return `${scalar.spread.toFixed(2)}x (SIMD ${simd.spread.toFixed(2)}x)`;
}

module.exports = { arithmetic, simdArithmetic, calibratedIterations, arithmeticSpread, machineNoise, describeMachineNoise, briefMachineNoise, SIMD_CHAINS, SIMD_MULTIPLIER, SIMD_ADDEND };
