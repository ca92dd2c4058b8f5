/** Sum replacement: exactly tfjs's results for random shapes of rank 0-5 and any axes, with NaN/Infinity/signed zeros. */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, randomTensor, seeded, withAndWithout } from './__tests__/support';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';
import { sumOverAxes } from './sum_kernel';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

/** A random shape and a random choice of axes: undefined, one axis (maybe negative) or a list. */
function randomCase(rand: () => number): { shape: number[]; axis: number | number[] | undefined; keepDims: boolean } {
  const rank = Math.floor(rand() * 6);
  const shape = Array.from({ length: rank }, () => (rand() < 0.04 ? 0 : 1 + Math.floor(rand() * 5)));
  const keepDims = rand() < 0.5;
  const r = rand();
  if (rank === 0 || r < 0.15) return { shape, axis: undefined, keepDims };
  if (r < 0.45) return { shape, axis: Math.floor(rand() * rank) - (rand() < 0.3 ? rank : 0), keepDims };
  const axes = Array.from({ length: rank }, (_, d) => d).filter(() => rand() < 0.5);
  return { shape, axis: axes.sort(() => rand() - 0.5), keepDims };
}

describe('Sum', () => {
  test('sumOverAxes adds each output\'s elements in tfjs\'s order', () => {
    const x = Float32Array.from({ length: 6 }, (_, i) => i + 1);
    expect(Array.from(sumOverAxes(x, [2, 3], [0]))).toEqual([5, 7, 9]);
    expect(Array.from(sumOverAxes(x, [2, 3], [1]))).toEqual([6, 15]);
    expect(Array.from(sumOverAxes(x, [2, 3], [0, 1]))).toEqual([21]);
  });

  test('equals tfjs exactly on random shapes and axes (float32 with specials)', () => {
    const rand = seeded(5151);
    const cases = [
      { shape: [128, 60], axis: 0, keepDims: false },
      { shape: [128, 60], axis: [0], keepDims: true },
      { shape: [32, 100, 256], axis: [0, 1], keepDims: false },
      { shape: [7, 300], axis: -1, keepDims: false },
      ...Array.from({ length: 300 }, () => randomCase(rand)),
    ];
    const inputs = cases.map((c, i) => randomTensor(rand, c.shape, i % 2 === 0));
    const { tfjs, ours } = withAndWithout(() => cases.map((c, i) => tf.sum(inputs[i], c.axis, c.keepDims)));
    for (let i = 0; i < cases.length; i++) {
      expect({ sum: cases[i], difference: firstDifference([tfjs[i]], [ours[i]]) }).toEqual({ sum: cases[i], difference: null });
    }
    tf.dispose(inputs);
  });

  test('int32 and bool run tfjs\'s kernel; duplicate and out-of-range axes raise tfjs\'s errors', () => {
    const ints = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
    const flags = tf.tensor2d([[true, false], [true, true]], [2, 2], 'bool');
    const { tfjs, ours } = withAndWithout(() => [tf.sum(ints, 0), tf.sum(flags, 1)]);
    expect(firstDifference(tfjs, ours)).toBeNull();
    expect(ours.map((r) => r.dtype)).toEqual(['int32', 'int32']);
    const x = tf.zeros([2, 3]);
    expect(() => tf.sum(x, 2)).toThrow();
    tf.dispose([ints, flags, x]);
  });

  test('the gradient of a Dense bias (a sum over the batch) equals tfjs and nothing leaks', () => {
    const rand = seeded(77);
    const x = randomTensor(rand, [64, 30], false), bias = randomTensor(rand, [30], false);
    const grad = () => tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.add(x, b))))(bias);
    const { tfjs, ours } = withAndWithout(() => grad());
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose(grad());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(grad());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, bias]);
  });
});
