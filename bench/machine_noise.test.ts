/**
 * The machine-noise line of the benchmarks: the loop computes what it should (so the JIT cannot drop
 * it), the timing is calibrated to about the asked length, and the report states the spreads it measured.
 */
const {
  arithmetic, simdArithmetic, arithmeticSpread, machineNoise, describeMachineNoise, briefMachineNoise, SIMD_CHAINS, SIMD_MULTIPLIER, SIMD_ADDEND,
} = require('./machine_noise.js');

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

  it('runs the SIMD arithmetic it times: every round of every chain, in float32 without fused multiply-adds', () => {
    // The same rounds in JavaScript, each operation rounded to float32 as WebAssembly's f32x4.mul and add round.
    const reference = (n: number) => {
      const m = Math.fround(SIMD_MULTIPLIER), b = Math.fround(SIMD_ADDEND);
      const chains = Array.from({ length: SIMD_CHAINS }, (_, j) => j + 1);
      for (let i = 0; i < n; i++) for (let j = 0; j < SIMD_CHAINS; j++) chains[j] = Math.fround(Math.fround(chains[j] * m) + b);
      return chains.reduce((sum, x) => Math.fround(sum + x));
    };
    for (const n of [0, 1, 2, 7, 1000, 54321]) expect(simdArithmetic(n)).toBe(reference(n));
    expect(simdArithmetic(0)).toBe(78); // 1 + 2 + ... + 12: no round ran
  });

  it('times runs of about the asked length and reports median, fastest and their ratio', () => {
    const r = arithmeticSpread({ reps: 15, targetMs: 2 });
    expect(r.min).toBeGreaterThan(0);
    expect(r.median).toBeGreaterThanOrEqual(r.min);
    expect(r.spread).toBeCloseTo(r.median / r.min, 12);
    expect(r.iterations).toBeGreaterThan(1000);
    expect(r.value).toBeCloseTo(1, 12);
    const simd = arithmeticSpread({ reps: 15, targetMs: 2, simd: true });
    expect(simd.median).toBeGreaterThanOrEqual(simd.min);
    expect(simd.iterations).toBeGreaterThan(1000);
    expect(simd.value).toBe(simdArithmetic(simd.iterations));
    const both = machineNoise({ reps: 3, targetMs: 0.5 });
    expect(both.scalar.value).toBeCloseTo(1, 12);
    expect(both.simd.value).toBe(simdArithmetic(both.simd.iterations));
    const noise = { scalar: { median: 1.25, min: 1, spread: 1.25 }, simd: { median: 0.9, min: 0.5, spread: 1.8 } };
    expect(describeMachineNoise(noise)).toBe('machine noise: a fixed arithmetic loop (no memory, one thread) spreads 1.25x median/min ' +
      '(1.250 / 1.000 ms), its SIMD form 1.80x (0.900 / 0.500 ms)');
    expect(briefMachineNoise(noise)).toBe('1.25x (SIMD 1.80x)');
  });
});
