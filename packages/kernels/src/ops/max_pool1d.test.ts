import * as tf from '@tensorflow/tfjs';
import { activeImplementation, setImplementation } from '../backend/implementation_choice';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import { MAX_POOL_1D, MAX_POOL_1D_GRAD } from '../registration/max_pool1d_kernels';
import { maxPool1d, type MaxPool1DOptions } from './max_pool1d';

/**
 * The reference, from plain tfjs ops: the window's steps as strided slices of x padded with
 * -Infinity, combined with pairwise tf.maximum (whose gradient favours the earlier operand on ties).
 */
function tapsReference(x: tf.Tensor, o: MaxPool1DOptions): tf.Tensor {
  const [batch, steps, channels] = x.shape;
  const reach = (o.outLength - 1) * o.strides + o.poolSize;
  const after = Math.max(0, reach - o.padBefore - steps);
  const padded = tf.pad(x, [[0, 0], [o.padBefore, after], [0, 0]], -Infinity);
  const taps: tf.Tensor[] = [];
  for (let j = 0; j < o.poolSize; j++) {
    const rows: tf.Tensor[] = [];
    for (let t = 0; t < o.outLength; t++) rows.push(tf.slice(padded, [0, t * o.strides + j, 0], [batch, 1, channels]));
    taps.push(tf.concat(rows, 1));
  }
  return taps.slice(1).reduce((m, tap) => tf.maximum(m, tap), taps[0]);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Values with many ties (multiples of 0.5 in a small range). */
function tiedValues(shape: [number, number, number], seed: number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.round(tf.mul(tf.randomUniform(shape, -2, 2, 'float32', seed), 2)), 2));
}

const CASES: Array<[string, [number, number, number], MaxPool1DOptions]> = [
  ['valid, disjoint windows (the M1 pooling)', [3, 12, 5], { poolSize: 4, strides: 4, padBefore: 0, outLength: 3 }],
  ['valid, a step left over', [2, 9, 3], { poolSize: 2, strides: 2, padBefore: 0, outLength: 4 }],
  ['overlapping windows (strides < poolSize)', [2, 10, 4], { poolSize: 3, strides: 1, padBefore: 0, outLength: 8 }],
  ['same padding, odd total', [2, 7, 3], { poolSize: 4, strides: 2, padBefore: 1, outLength: 4 }],
  ['same padding, strides 1', [1, 6, 2], { poolSize: 3, strides: 1, padBefore: 1, outLength: 6 }],
  ['gaps between windows (strides > poolSize)', [2, 11, 3], { poolSize: 2, strides: 3, padBefore: 0, outLength: 4 }],
];

const initial = activeImplementation().name;
afterAll(() => setImplementation(initial));

describe.each(implementationsUnderTest())('maxPool1d on the %s kernels', (implementation) => {
  beforeAll(() => setImplementation(implementation));

  test.each(CASES)('%s: value and gradient equal the pairwise maxima of the taps', (_label, shape, options) => {
    const x = tiedValues(shape, shape[1]);
    const weights = tf.randomNormal([shape[0], options.outLength, shape[2]], 0, 1, 'float32', 9);
    const before = tf.memory().numTensors;
    const ours = maxPool1d(x, options);
    const theirs = tf.tidy(() => tapsReference(x, options));
    expect(ours.shape).toEqual(theirs.shape);
    expect(maxDiff(ours, theirs)).toBe(0);
    const loss = (pool: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(pool(t), weights));
    const gradOurs = tf.grad(loss((t) => maxPool1d(t, options)))(x);
    const gradTheirs = tf.grad(loss((t) => tapsReference(t, options)))(x);
    expect(maxDiff(gradOurs, gradTheirs)).toBeLessThan(1e-6);
    tf.dispose([ours, theirs, gradOurs, gradTheirs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, weights]);
  });

  test('the gradient agrees with central finite differences (no ties)', () => {
    const options: MaxPool1DOptions = { poolSize: 3, strides: 2, padBefore: 1, outLength: 4 };
    const x = tf.randomNormal([2, 8, 3], 0, 1, 'float32', 21);
    const w = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 22);
    const wValues = w.dataSync();
    const lossOf = (values: Float32Array): number => {
      const out = tf.tidy(() => maxPool1d(tf.tensor3d(values, [2, 8, 3]), options).dataSync());
      let sum = 0;
      for (let i = 0; i < out.length; i++) sum += Math.sin(out[i]) * wValues[i];
      return sum;
    };
    const analytic = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sin(maxPool1d(t, options)), w)))(x).dataSync());
    const base = Float32Array.from(x.dataSync());
    const h = 1e-3;
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] += h;
      minus[i] -= h;
      const numeric = (lossOf(plus) - lossOf(minus)) / (2 * h);
      expect(Math.abs(numeric - analytic[i])).toBeLessThan(2e-3);
    }
    tf.dispose([x, w]);
  });

  test('NaN wins its window and passes no gradient; -Infinity is an ordinary value; padding never wins', () => {
    const x = tf.tensor3d([[[1], [NaN], [3], [-Infinity], [-Infinity], [2]]]);
    const options: MaxPool1DOptions = { poolSize: 2, strides: 2, padBefore: 0, outLength: 3 };
    expect(Array.from(maxPool1d(x, options).dataSync())).toEqual([NaN, 3, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(maxPool1d(t, options)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 1, 0, 0, 1]);
    // 'same' padding past both ends: -Infinity data still beats the padding.
    const edge = tf.tensor3d([[[-Infinity], [-5]]]);
    expect(Array.from(maxPool1d(edge, { poolSize: 3, strides: 1, padBefore: 1, outLength: 2 }).dataSync())).toEqual([-5, -5]);
    tf.dispose([x, g, edge]);
  });

  test('refuses bad tensors and attributes, naming the caller', () => {
    const x = tf.zeros([1, 4, 2]);
    const ok: MaxPool1DOptions = { poolSize: 2, strides: 2, padBefore: 0, outLength: 2, context: "MaxPooling1D 'pool'" };
    expect(() => maxPool1d(tf.zeros([4, 2]), ok)).toThrow(/MaxPooling1D 'pool': x must be a float32 tf.Tensor \[batch, steps, channels\], got shape \[4, 2\]/);
    expect(() => maxPool1d(tf.zeros([1, 4, 2], 'int32'), ok)).toThrow(/\(int32\)/);
    expect(() => maxPool1d(x, { ...ok, poolSize: 0 })).toThrow(/poolSize must be an integer >= 1, got 0/);
    expect(() => maxPool1d(x, { ...ok, strides: 1.5 })).toThrow(/strides must be an integer >= 1, got 1.5/);
    expect(() => maxPool1d(x, { ...ok, padBefore: -1 })).toThrow(/padBefore must be an integer >= 0/);
    // The gradient kernel checks dy against the windows.
    expect(() => tf.engine().runKernel(MAX_POOL_1D_GRAD, { x, dy: tf.zeros([1, 3, 2]) }, { poolSize: 2, strides: 2, padBefore: 0, outLength: 2 })).toThrow(
      /dy has shape \[1, 3, 2\], expected \[1, 2, 2\]/,
    );
    expect(() => tf.engine().runKernel(MAX_POOL_1D, { x: tf.zeros([4]) }, { poolSize: 2, strides: 2, padBefore: 0, outLength: 2 })).toThrow(
      /MaxPool1DWindows kernel: x must be \[batch, steps, channels\]/,
    );
    x.dispose();
  });
});
