import { getSeed, makeRandom, nextSeed, setSeed } from './random';

describe('seeds', () => {
  afterEach(() => setSeed(null));

  test('setSeed makes the seed sequence reproducible', () => {
    setSeed(42);
    const a = [nextSeed(), nextSeed(), nextSeed()];
    setSeed(42);
    const b = [nextSeed(), nextSeed(), nextSeed()];
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
    setSeed(43);
    expect(nextSeed()).not.toBe(a[0]);
    expect(getSeed()).not.toBeNull();
  });

  test('seeds are 31-bit non-negative integers', () => {
    setSeed(7);
    for (let i = 0; i < 100; i++) {
      const s = nextSeed();
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 31);
    }
  });

  test('makeRandom is deterministic and uniform-looking', () => {
    const r1 = makeRandom(5);
    const r2 = makeRandom(5);
    const xs = Array.from({ length: 2000 }, () => r1());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => r2()));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  test('rejects a non-finite seed', () => {
    expect(() => setSeed(Number.NaN)).toThrow(/setSeed: expected a finite number/);
  });
});
