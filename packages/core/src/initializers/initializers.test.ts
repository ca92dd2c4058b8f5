import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../engine/random';
import {
  Constant, getInitializer, GlorotNormal, GlorotUniform, HeNormal, Identity, initializers, Orthogonal, RandomUniform, VarianceScaling,
} from './index';
import { randomOrthogonalColumns } from './haar';

function stats(t: tf.Tensor): { mean: number; std: number; min: number; max: number } {
  const d = Array.from(t.dataSync());
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  return { mean, std, min: Math.min(...d), max: Math.max(...d) };
}

describe('initializers', () => {
  afterEach(() => setSeed(null));

  test('constant initializers', () => {
    expect(Array.from(initializers.zeros().apply([2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(initializers.ones().apply([3]).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(initializers.constant({ value: 2.5 }).apply([2]).dataSync())).toEqual([2.5, 2.5]);
    expect(() => new Constant({ value: Number.NaN })).toThrow(/value: expected a finite number/);
  });

  test('identity, also rectangular, with gain', () => {
    expect(initializers.identity({ gain: 2 }).apply([2, 3]).arraySync()).toEqual([[2, 0, 0], [0, 2, 0]]);
    expect(() => new Identity().apply([3])).toThrow(/needs a 2-D shape/);
  });

  test('glorot uniform stays within its limit and has the right spread', () => {
    const t = new GlorotUniform({ seed: 1 }).apply([200, 300]);
    const limit = Math.sqrt(6 / 500);
    const s = stats(t);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 2);
  });

  test('he normal (truncated) has variance 2 / fan_in', () => {
    const s = stats(new HeNormal({ seed: 3 }).apply([400, 200]));
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(Math.abs(s.mean)).toBeLessThan(0.005);
  });

  test('variance scaling modes and distributions', () => {
    const vs = new VarianceScaling({ scale: 3, mode: 'fan_out', distribution: 'untruncated_normal', seed: 2 });
    expect(stats(vs.apply([100, 300])).std).toBeCloseTo(Math.sqrt(3 / 300), 2);
    expect(new VarianceScaling({ distribution: 'normal' }).distribution).toBe('truncated_normal');
    expect(() => new VarianceScaling({ mode: 'fan_x' as never })).toThrow(/mode: expected one of fan_in, fan_out, fan_avg/);
  });

  test('orthogonal gives orthonormal columns (tall) and rows (wide), times gain', () => {
    const tall = new Orthogonal({ seed: 4 }).apply([6, 4]);
    const gram = tf.matMul(tall, tall, true, false);
    expect(gram.sub(tf.eye(4)).abs().max().dataSync()[0]).toBeLessThan(1e-5);
    const wide = new Orthogonal({ seed: 5, gain: 2 }).apply([3, 8]);
    const gram2 = tf.matMul(wide, wide, false, true);
    expect(gram2.sub(tf.eye(3).mul(4)).abs().max().dataSync()[0]).toBeLessThan(1e-4);
    expect(() => new Orthogonal().apply([5])).toThrow(/at least 2 dimensions/);
    // Several reflector blocks (70 columns), and a 3-D shape flattened to [2*60, 70].
    const big = new Orthogonal({ seed: 6 }).apply([2, 60, 70]).reshape([120, 70]);
    expect(tf.matMul(big, big, true, false).sub(tf.eye(70)).abs().max().dataSync()[0]).toBeLessThan(1e-5);
    const square = new Orthogonal({ seed: 7 }).apply([90, 90]);
    expect(tf.matMul(square, square, false, true).sub(tf.eye(90)).abs().max().dataSync()[0]).toBeLessThan(1e-5);
  });

  test('Haar columns: orthonormal, and the same law as QR of a Gaussian (E[q_00^2] = 1/m)', () => {
    const m = 7;
    const n = 3;
    let sumSq = 0;
    let sum = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const g = Float64Array.from(tf.randomNormal([m, n], 0, 1, 'float32', t + 1).dataSync());
      const q = randomOrthogonalColumns(g, m, n);
      if (t < 5) {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let dot = 0;
            for (let k = 0; k < m; k++) dot += q[k * n + i] * q[k * n + j];
            expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
          }
        }
      }
      sumSq += q[0] * q[0];
      sum += q[0];
    }
    // Uniform columns on the sphere: each entry has mean 0 and mean square 1/m.
    expect(sumSq / trials).toBeGreaterThan(0.8 / m);
    expect(sumSq / trials).toBeLessThan(1.2 / m);
    expect(Math.abs(sum / trials)).toBeLessThan(0.06);
  });

  test('Haar columns: the blocked formation equals applying the reflectors one by one', () => {
    // Reference: Q = H_0 ... H_{n-1} I[:, :n] with H_k = I - 2 u u^T / (u^T u), u from column k of the
    // Gaussian below row k (head x0 - alpha, alpha = -sign(x0) |x|), columns signed by sign(alpha).
    const reference = (g: Float64Array, m: number, n: number): Float64Array => {
      const q = new Float64Array(m * n);
      for (let i = 0; i < n; i++) q[i * n + i] = 1;
      const signs: number[] = [];
      for (let k = n - 1; k >= 0; k--) {
        const u = new Float64Array(m);
        let norm2 = 0;
        for (let r = k; r < m; r++) norm2 += g[r * n + k] ** 2;
        const alpha = g[k * n + k] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
        signs[k] = alpha < 0 ? -1 : 1;
        for (let r = k; r < m; r++) u[r] = g[r * n + k];
        u[k] -= alpha;
        const uu = u.reduce((a, v) => a + v * v, 0);
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let r = k; r < m; r++) dot += u[r] * q[r * n + j];
          for (let r = k; r < m; r++) q[r * n + j] -= (2 * dot * u[r]) / uu;
        }
      }
      return q.map((v, i) => v * signs[i % n]);
    };
    // Partial blocks of reflectors, odd column counts, and more rows than one cache slice (256).
    for (const [m, n, seed] of [[5, 5, 1], [40, 33, 2], [300, 70, 3], [600, 65, 4]]) {
      const g = Float64Array.from(tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', seed).dataSync()));
      const fast = randomOrthogonalColumns(g, m, n);
      const slow = reference(g, m, n);
      let worst = 0;
      for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i] - slow[i]));
      expect(worst).toBeLessThan(1e-12);
    }
    expect(() => randomOrthogonalColumns(new Float64Array(6), 2, 3)).toThrow(/expected rows >= columns, got 2 x 3/);
  });

  test('a fixed seed repeats; the global seed makes unseeded draws reproducible', () => {
    const a = new RandomUniform({ seed: 9 }).apply([5]).dataSync();
    const b = new RandomUniform({ seed: 9 }).apply([5]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    setSeed(11);
    const c = new GlorotNormal().apply([4, 4]).dataSync();
    setSeed(11);
    const d = new GlorotNormal().apply([4, 4]).dataSync();
    expect(Array.from(c)).toEqual(Array.from(d));
  });

  test('lookup by TS name, Keras name or class name, and serialization round trip', () => {
    expect(getInitializer('glorotUniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('glorot_uniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('leCunNormal').className).toBe('LecunNormal');
    expect(getInitializer('lecun_uniform').className).toBe('LecunUniform');
    expect(getInitializer('he_uniform').className).toBe('HeUniform');
    expect(getInitializer('truncated_normal').className).toBe('TruncatedNormal');
    expect(getInitializer('uniform').className).toBe('RandomUniform');
    for (const init of Object.values(initializers).map((f) => (f as (a?: unknown) => { serialize(): { className: string; config: Record<string, unknown> } })({ value: 1 }))) {
      const s = init.serialize();
      expect(getInitializer(s).serialize()).toEqual(s);
    }
    expect(getInitializer({ className: 'RandomNormal', config: { mean: 1, stddev: 0.5, seed: 3 } }).getConfig())
      .toEqual({ mean: 1, stddev: 0.5, seed: 3 });
    expect(() => getInitializer('glorot')).toThrow(/Unknown initializer "glorot"; known: /);
  });
});
