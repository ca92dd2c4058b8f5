import * as tf from '@tensorflow/tfjs';
import { softmaxLastAxis } from './softmax_last_axis';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('softmaxLastAxis', () => {
  test('equals tf.softmax(x, -1) for ranks 1 to 3, large logits included', () => {
    for (const shape of [[7], [4, 9], [2, 3, 5]]) {
      const x = tf.randomNormal(shape, 0, 3, 'float32', shape.length);
      const ours = softmaxLastAxis(x);
      const theirs = tf.softmax(x, -1);
      expect(ours.shape).toEqual(shape);
      expect(maxDiff(ours, theirs)).toBeLessThan(1e-6);
      tf.dispose([x, ours, theirs]);
    }
    // Stable where a naive exp would overflow; -Infinity gets probability 0; a NaN spreads over its row.
    const y = softmaxLastAxis(tf.tensor2d([[1000, 1000, -Infinity], [0, NaN, 1]]));
    const rows = y.arraySync() as number[][];
    expect(rows[0]).toEqual([0.5, 0.5, 0]);
    expect(rows[1].every(Number.isNaN)).toBe(true);
    y.dispose();
  });

  test('within float32 rounding of the row softmax computed with Math.exp in float64', () => {
    const x = tf.randomNormal([64, 60], 0, 6, 'float32', 11);
    const y = softmaxLastAxis(x);
    const values = x.dataSync();
    const ours = y.dataSync();
    const bits = new Int32Array(Float32Array.from(ours).buffer);
    const reference = new Float32Array(values.length);
    for (let r = 0; r < 64; r++) {
      const row = values.subarray(r * 60, r * 60 + 60);
      const max = Math.max(...row);
      const e = Array.from(row, (v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, i) => (reference[r * 60 + i] = Math.fround(v) * (1 / sum)));
    }
    const referenceBits = new Int32Array(reference.buffer);
    let worstUlps = 0;
    for (let i = 0; i < bits.length; i++) worstUlps = Math.max(worstUlps, Math.abs(bits[i] - referenceBits[i]));
    expect(worstUlps).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  test('its gradient equals tf.softmax\'s and central finite differences; nothing leaks', () => {
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 7);
    const w = tf.randomNormal([3, 6], 0, 1, 'float32', 8);
    const before = tf.memory().numTensors;
    const loss = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(tf.square(f(t)), w));
    const ours = tf.grad(loss(softmaxLastAxis))(x);
    const theirs = tf.grad(loss((t) => tf.softmax(t, -1)))(x);
    expect(maxDiff(ours, theirs)).toBeLessThan(1e-6);
    const g = ours.dataSync();
    const base = x.dataSync();
    const wv = w.dataSync();
    const lossAt = (values: Float32Array): number => {
      const t = tf.tensor2d(values, [3, 6]);
      const out = softmaxLastAxis(t);
      const y = out.dataSync();
      tf.dispose([t, out]);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * y[i] * wv[i];
      return s;
    };
    for (const k of [0, 5, 8, 17]) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[k] += 1e-2;
      minus[k] -= 1e-2;
      expect(g[k]).toBeCloseTo((lossAt(plus) - lossAt(minus)) / (plus[k] - minus[k]), 3);
    }
    tf.dispose([ours, theirs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  test('bad inputs give clear errors', () => {
    expect(() => softmaxLastAxis(tf.scalar(1))).toThrow(/rank >= 1/);
    expect(() => softmaxLastAxis(tf.tensor1d([1], 'int32'))).toThrow(/expected float32 values, got int32/);
    expect(() => softmaxLastAxis(null as unknown as tf.Tensor)).toThrow(/expected a tf.Tensor, got null/);
  });
});
