/**
 * The machine-noise line of the benchmarks: the loop computes what it should (so the JIT cannot drop
 * it), the timing is calibrated to about the asked length, and the report states the spread it measured.
 */
const { arithmetic, arithmeticSpread, describeMachineNoise } = require('./machine_noise.js');

describe('machine noise', () => {
  it('runs the arithmetic it times', () => {
    // Chain j is x_{n+1} = (1 - k_j) x_n + k_j, k_j = j * 1e-6: from 0, x_n = 1 - (1 - k_j)^n.
    const n = 100000;
    let expected = 0;
    for (let j = 1; j <= 8; j++) expected += (1 - Math.pow(1 - j * 1e-6, n)) / 8;
    expect(arithmetic(n, 0)).toBeCloseTo(expected, 9);
    expect(arithmetic(n, 0)).toBeGreaterThan(0.3); // about 0.36: the loop ran all its rounds
    expect(arithmetic(0, 0)).toBe(0);
  });

  it('times runs of about the asked length and reports median, fastest and their ratio', () => {
    const r = arithmeticSpread({ reps: 15, targetMs: 2 });
    expect(r.min).toBeGreaterThan(0);
    expect(r.median).toBeGreaterThanOrEqual(r.min);
    expect(r.spread).toBeCloseTo(r.median / r.min, 12);
    expect(r.iterations).toBeGreaterThan(1000);
    expect(r.value).toBeCloseTo(1, 12);
    const line = describeMachineNoise({ median: 1.25, min: 1, spread: 1.25 });
    expect(line).toBe('machine noise: a fixed arithmetic loop (no memory, one thread) spreads 1.25x median/min (1.250 / 1.000 ms)');
  });
});
