import * as tf from '@tensorflow/tfjs';
import { registerCpuKernelWorkarounds } from './cpu_kernel_workarounds';

describe('fast UnsortedSegmentSum for the cpu backend', () => {
  beforeAll(() => registerCpuKernelWorkarounds());

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

describe('fast Reverse for the cpu backend', () => {
  beforeAll(() => registerCpuKernelWorkarounds());

  /** Reference: reversing by gathering the indices in reverse order, axis by axis. */
  function byGather(x: tf.Tensor, axes: number[]): tf.Tensor {
    return tf.tidy(() => axes.reduce((t, axis) => tf.gather(t, tf.range(t.shape[axis] - 1, -1, -1, 'int32'), axis), x));
  }

  test.each([[[1]], [[0]], [[2]], [[0, 2]], [[1, 2]], [[-1]], [[0, 1, 2]]])('reverses a [3, 4, 5] tensor along %j', (dims) => {
    const x = tf.range(0, 60).reshape([3, 4, 5]);
    const axes = dims.map((d) => (d < 0 ? d + 3 : d));
    const fast = tf.reverse(x, dims);
    const reference = byGather(x, axes);
    expect(fast.shape).toEqual([3, 4, 5]);
    expect(Array.from(fast.dataSync())).toEqual(Array.from(reference.dataSync()));
    tf.dispose([x, fast, reference]);
  });

  test('keeps the dtype, handles rank 1 and empty tensors, and its gradient reverses back', () => {
    const ints = tf.tensor1d([1, 2, 3], 'int32');
    const reversed = tf.reverse(ints);
    expect(reversed.dtype).toBe('int32');
    expect(Array.from(reversed.dataSync())).toEqual([3, 2, 1]);
    const empty = tf.reverse(tf.zeros([2, 0, 3]), 1);
    expect(empty.shape).toEqual([2, 0, 3]);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const weights = tf.tensor2d([[1, 10], [100, 1000]]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reverse(t, 1), weights)))(x);
    expect(grad.arraySync()).toEqual([[10, 1], [1000, 100]]);
    tf.dispose([ints, reversed, empty, x, weights, grad]);
  });
});

describe('fast Slice for the cpu backend', () => {
  beforeAll(() => registerCpuKernelWorkarounds());

  /** Reference: the same slice read element by element from nested arrays. */
  function byArrays(x: tf.Tensor, begin: number[], size: number[]): number[] {
    const out: number[] = [];
    const walk = (value: unknown, depth: number): void => {
      if (depth === begin.length) return void out.push(value as number);
      const list = value as unknown[];
      for (let i = begin[depth]; i < begin[depth] + size[depth]; i++) walk(list[i], depth + 1);
    };
    walk(x.arraySync(), 0);
    return out;
  }

  test.each([
    [[0, 0, 2], [3, 4, 3]],
    [[1, 1, 0], [2, 2, 5]],
    [[0, 3, 4], [3, 1, 1]],
    [[2, 0, 0], [1, 4, 5]],
    [[0, 0, 0], [3, 4, 5]],
  ])('slices a [3, 4, 5] tensor from %j, size %j', (begin, size) => {
    const x = tf.range(0, 60).reshape([3, 4, 5]);
    const fast = tf.slice(x, begin, size);
    expect(fast.shape).toEqual(size);
    expect(Array.from(fast.dataSync())).toEqual(byArrays(x, begin, size));
    tf.dispose([x, fast]);
  });

  test('reads size -1, short argument lists and numbers as tfjs does; errors still come from tfjs', () => {
    const x = tf.range(0, 24).reshape([2, 3, 4]);
    expect(tf.slice(x, [0, 1], [-1, 2]).shape).toEqual([2, 2, 4]);
    expect(tf.slice(x, 1).shape).toEqual([1, 3, 4]);
    expect(Array.from(tf.slice(x, [1, 2, 1], [1, 1, -1]).dataSync())).toEqual([21, 22, 23]);
    expect(() => tf.slice(x, [0, 0, 3], [1, 1, 2])).toThrow();
    tf.dispose(x);
  });

  test('split (SplitV) in equal parts, by sizes with -1, on any axis; the gradient of concat', () => {
    const ints = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], 'int32');
    const halves = tf.split(ints, 2, -1);
    expect(halves.map((t) => t.arraySync())).toEqual([[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
    expect(halves[0].dtype).toBe('int32');
    const parts = tf.split(ints, [1, -1], 1);
    expect(parts.map((t) => t.shape)).toEqual([[2, 1], [2, 3]]);
    const rows = tf.split(ints, 2, 0);
    expect(rows[1].arraySync()).toEqual([[5, 6, 7, 8]]);
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5], [6]]);
    const w = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 1), w)))([a, b]);
    expect(ga.arraySync()).toEqual([[1, 2], [4, 5]]);
    expect(gb.arraySync()).toEqual([[3], [6]]);
    tf.dispose([ints, ...halves, ...parts, ...rows, a, b, w, ga, gb]);
  });
});
