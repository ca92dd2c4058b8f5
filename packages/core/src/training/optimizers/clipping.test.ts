/** The array clipping of the fused path against the tensor clipping functions. */
import * as tf from '@tensorflow/tfjs';
import { arrayClipping, clipByGlobalNorm, clipByNorm, clipByValue, clipGradients } from './clipping';

beforeAll(() => tf.setBackend('cpu'));

/** What the fused loop does with an element: clamp(g * scale, -limit, limit). */
function applyArrayClipping(arrays: Float32Array[], scales: number[], limit: number): Float32Array[] {
  return arrays.map((a, k) => Float32Array.from(a, (g) => Math.min(Math.max(g * scales[k], -limit), limit)));
}

function tensorValues(ts: tf.Tensor[]): Float32Array[] {
  return ts.map((t) => Float32Array.from(t.dataSync()));
}

function expectSame(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) =>
    a.forEach((x, i) => {
      const y = expected[k][i];
      if (Number.isNaN(y)) expect(x).toBeNaN();
      else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(y), 1e-30));
    }),
  );
}

const arrays = [new Float32Array([3, 4]), new Float32Array([0, 12, -0.5]), new Float32Array([0.1, -0.2, 0.3, -0.4])];

describe('arrayClipping matches the tensor clipping', () => {
  it.each([0.3, 1, 5, 100])('clipnorm %p: each gradient scaled by c / max(norm, c)', (c) => {
    const { scales, clipValue } = arrayClipping(arrays, { clipnorm: c });
    expect(clipValue).toBe(Infinity);
    const expected = tf.tidy(() => tensorValues(arrays.map((a) => clipByNorm(tf.tensor(a), c))));
    expectSame(applyArrayClipping(arrays, scales, clipValue), expected);
  });

  it.each([1, 6.5, 13, 1000])('globalClipnorm %p: all gradients scaled by c / max(global norm, c)', (c) => {
    const { scales, clipValue } = arrayClipping(arrays, { globalClipnorm: c });
    expect(new Set(scales).size).toBe(1);
    const expected = tf.tidy(() => tensorValues(clipByGlobalNorm(arrays.map((a) => tf.tensor(a)), c)));
    expectSame(applyArrayClipping(arrays, scales, clipValue), expected);
  });

  it('clipvalue: scale 1 and the clamp limit', () => {
    const { scales, clipValue } = arrayClipping(arrays, { clipvalue: 0.25 });
    expect(scales).toEqual([1, 1, 1]);
    expect(clipValue).toBe(0.25);
    const expected = tf.tidy(() => tensorValues(arrays.map((a) => clipByValue(tf.tensor(a), 0.25))));
    expect(applyArrayClipping(arrays, scales, clipValue)).toEqual(expected);
  });

  it('no clipping: scale 1, no limit', () => {
    expect(arrayClipping(arrays, {})).toEqual({ scales: [1, 1, 1], clipValue: Infinity });
  });

  it('null gradients are skipped and do not count towards the global norm', () => {
    const withNull = [arrays[0], null, arrays[2]];
    const { scales } = arrayClipping(withNull, { globalClipnorm: 1 });
    const expected = tf.tidy(() => tensorValues(clipGradients(withNull.map((a) => (a === null ? null : tf.tensor(a))), { globalClipnorm: 1 }).filter((t): t is tf.Tensor => t !== null)));
    expectSame(applyArrayClipping([arrays[0], arrays[2]], [scales[0], scales[2]], Infinity), expected);
  });

  it('a zero gradient is left unchanged', () => {
    const zeros = [new Float32Array(3)];
    expect(arrayClipping(zeros, { clipnorm: 1 }).scales).toEqual([1]);
    expect(arrayClipping(zeros, { globalClipnorm: 1 }).scales).toEqual([1]);
  });
});

describe('non-finite norms, as the tensor functions (and Keras)', () => {
  const cases: [string, number][] = [
    ['an infinite element', Infinity],
    ['a NaN element', NaN],
    ['a square that overflows float32', 1e20],
  ];
  it.each(cases)('globalClipnorm with %s: every gradient becomes NaN', (_name, bad) => {
    const grads = [new Float32Array([1, bad]), new Float32Array([2, 3])];
    const { scales } = arrayClipping(grads, { globalClipnorm: 1 });
    expect(scales.every(Number.isNaN)).toBe(true);
    const expected = tf.tidy(() => tensorValues(clipByGlobalNorm(grads.map((a) => tf.tensor(a)), 1)));
    expect(expected.every((a) => Array.from(a).every(Number.isNaN))).toBe(true);
    expectSame(applyArrayClipping(grads, scales, Infinity), expected);
  });

  it.each(cases)('clipnorm with %s: the same values as clipByNorm', (_name, bad) => {
    const grads = [new Float32Array([1, bad, -2]), new Float32Array([2, 3])];
    const { scales } = arrayClipping(grads, { clipnorm: 1 });
    const expected = tf.tidy(() => tensorValues(grads.map((a) => clipByNorm(tf.tensor(a), 1))));
    const actual = applyArrayClipping(grads, scales, Infinity);
    // 1e20 * 1 / inf is 0 for both; inf * 0 and inf / inf are NaN for both.
    expectSame(actual, expected);
  });
});
