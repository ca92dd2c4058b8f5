import * as tf from '@tensorflow/tfjs';
import { registerFastSegmentSum } from './segment_sum_kernel';

describe('fast UnsortedSegmentSum for the cpu backend', () => {
  beforeAll(() => registerFastSegmentSum());

  test('sums rows into their segments and drops out-of-range ids, as TensorFlow does', () => {
    const x = tf.tensor2d([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    const ids = tf.tensor1d([0, 2, -1, 2, 5], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 3);
    expect(out.shape).toEqual([3, 2]);
    expect(out.arraySync()).toEqual([[1, 1], [0, 0], [6, 6]]);
    tf.dispose([x, ids, out]);
  });

  test('agrees with a one-hot matrix product, and keeps int32 inputs int32', () => {
    const ids = tf.tensor1d([3, 1, 3, 0, 7, 1], 'int32');
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 7);
    const reference = tf.matMul(tf.oneHot(ids, 8).toFloat(), x, true, false);
    const fast = tf.unsortedSegmentSum(x, ids, 8);
    expect(tf.max(tf.abs(tf.sub(reference, fast))).dataSync()[0]).toBeLessThan(1e-5);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([3, 3]);
    tf.dispose([ids, x, reference, fast, ints]);
  });

  test('gives the gradient of an embedding lookup (tf.gather) without leaking tensors', () => {
    const table = tf.randomNormal([50, 3], 0, 1, 'float32', 3);
    const ids = tf.tensor1d([4, 4, 9, 0], 'int32');
    const before = tf.memory().numTensors;
    const grad = tf.grad((w: tf.Tensor) => tf.gather(w, ids).sum())(table);
    const rows = grad.arraySync() as number[][];
    expect(rows[4]).toEqual([2, 2, 2]);
    expect(rows[9]).toEqual([1, 1, 1]);
    expect(rows[1]).toEqual([0, 0, 0]);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, ids]);
  });
});
