/**
 * How far this machine alone spreads a timing: a fixed loop of floating-point arithmetic, no memory
 * traffic and no threads, timed many times in a row. Its median/min is what the machine itself adds
 * to the spread of every cell of the benchmarks: on a quiet machine about 1.0; on a shared virtual
 * machine the same instructions take up to a third longer from one call to the next (the AMD EPYC of
 * docs/performance.md: 1.09x-1.38x), and a kernel run there spreads at least about as much.
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

/**
 * { median, min, spread } in ms of `reps` runs of the loop, each about `targetMs` long (calibrated
 * once), and `value`, the loop's result.
 */
function arithmeticSpread({ reps = 200, targetMs = 1 } = {}) {
  let iterations = 1 << 16;
  for (let i = 0; i < 20; i++) arithmetic(iterations); // compiled before timing
  for (;;) {
    const t0 = performance.now();
    arithmetic(iterations);
    const ms = performance.now() - t0;
    if (ms >= targetMs / 4 || iterations >= 1 << 30) {
      iterations = Math.max(1, Math.round(iterations * (targetMs / Math.max(ms, 1e-3))));
      break;
    }
    iterations *= 4;
  }
  const times = [];
  let value = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    value = arithmetic(iterations);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, min: times[0], spread: median / times[0], iterations, value };
}

/** One line for a benchmark's report. */
function describeMachineNoise(result) {
  return `machine noise: a fixed arithmetic loop (no memory, one thread) spreads ${result.spread.toFixed(2)}x median/min ` +
    `(${result.median.toFixed(3)} / ${result.min.toFixed(3)} ms)`;
}

module.exports = { arithmetic, arithmeticSpread, describeMachineNoise };
