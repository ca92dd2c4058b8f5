/** Cast to float32: tfjs's values exactly, stored as a Float32Array when every value is exact in float32. */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, withAndWithout } from './__tests__/support';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

/** What the cpu backend stores for a tensor. */
function stored(t: tf.Tensor): unknown {
  return (tf.backend() as unknown as { data: { get(id: object): { values: unknown } } }).data.get(t.dataId).values;
}

describe('Cast to float32', () => {
  test('int32 and bool inputs give tfjs\'s values, now stored as a Float32Array', () => {
    const ints = tf.tensor2d([[0, 1, -7], [2 ** 24, -(2 ** 24), 123456]], [2, 3], 'int32');
    const bools = tf.tensor1d([true, false, true], 'bool');
    const oneHot = tf.oneHot(tf.tensor1d([2, 0, 1], 'int32'), 4);
    for (const x of [ints, bools, oneHot]) {
      const storedBefore = stored(x);
      const { tfjs, ours } = withAndWithout(() => [tf.cast(x, 'float32'), tf.mul(tf.cast(x, 'float32'), 0.5)]);
      expect(firstDifference(tfjs, ours)).toBeNull();
      const y = tf.cast(x, 'float32');
      expect(y.dtype).toBe('float32');
      expect(stored(y)).toBeInstanceOf(Float32Array);
      expect(y.dataId).not.toBe(x.dataId); // a record of its own, read without conversion
      expect(stored(x)).toBe(storedBefore); // the input keeps its storage
      y.dispose();
    }
    tf.dispose([ints, bools, oneHot]);
  });

  test('integers beyond 2^24, which would round, keep tfjs\'s shared storage and results', () => {
    const x = tf.tensor1d([1, 2 ** 24 + 1, -3], 'int32');
    const { tfjs, ours } = withAndWithout(() => [tf.add(tf.cast(x, 'float32'), -1)]);
    expect(firstDifference(tfjs, ours)).toBeNull();
    const y = tf.cast(x, 'float32');
    expect(y.dataId).toBe(x.dataId);
    tf.dispose([x, y]);
  });

  test('other casts run tfjs\'s kernel', () => {
    const f = tf.tensor1d([1.5, -2.5, 0], 'float32');
    const i = tf.tensor1d([3, 0, -1], 'int32');
    const { tfjs, ours } = withAndWithout(() => [tf.cast(f, 'int32'), tf.cast(f, 'bool'), tf.cast(i, 'bool'), tf.cast(f, 'float32')]);
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose([f, i]);
  });

  test('the gradient passes through and nothing leaks', () => {
    const x = tf.tensor1d([1, 2, 3], 'int32');
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) tf.tidy(() => tf.sum(tf.cast(x, 'float32')).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    const w = tf.tensor1d([0.5, 0.25, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, tf.cast(x, 'float32'))))(w);
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([x, w, g]);
  });
});
