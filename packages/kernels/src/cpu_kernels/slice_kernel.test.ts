/** Slice replacement: exactly tfjs's results for random non-contiguous slices of rank 1-5, float32 and int32. */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, randomTensor, seeded, withAndWithout } from './__tests__/support';
import { copyBlock } from './slice_kernel';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

/** A random shape with a random block inside it; sizes sometimes -1 (to the end). */
function randomSlice(rand: () => number): { shape: number[]; begin: number[]; size: number[] } {
  const rank = 1 + Math.floor(rand() * 5);
  const shape = Array.from({ length: rank }, () => 1 + Math.floor(rand() * 5));
  const begin = shape.map((n) => Math.floor(rand() * n));
  const size = shape.map((n, d) => (rand() < 0.2 ? -1 : rand() < 0.08 ? 0 : 1 + Math.floor(rand() * (n - begin[d]))));
  return { shape, begin, size };
}

describe('Slice', () => {
  test('copyBlock copies the block row by row', () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(copyBlock(x, [2, 3, 4], [0, 1, 1], [2, 2, 2]))).toEqual([5, 6, 9, 10, 17, 18, 21, 22]);
    expect(Array.from(copyBlock(x, [2, 3, 4], [1, 0, 0], [1, 2, 4]))).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  });

  test('equals tfjs exactly on random slices (float32 with specials, and int32)', () => {
    const rand = seeded(4242);
    const cases = [
      { shape: [128, 10, 60], begin: [0, 3, 0], size: [128, 1, 60] },
      { shape: [128, 384], begin: [0, 128], size: [-1, 128] },
      { shape: [40, 300], begin: [1, 7], size: [30, 250] },
      { shape: [3, 0, 2], begin: [0, 0, 0], size: [2, 0, 1] },
      ...Array.from({ length: 200 }, () => randomSlice(rand)),
    ];
    const inputs = cases.map((c, i) => (i % 3 === 2 ? tf.cast(tf.mul(randomTensor(rand, c.shape, false), 1000), 'int32') : randomTensor(rand, c.shape)));
    const { tfjs, ours } = withAndWithout(() => cases.map((c, i) => tf.slice(inputs[i], c.begin, c.size)));
    for (let i = 0; i < cases.length; i++) {
      expect({ slice: cases[i], difference: firstDifference([tfjs[i]], [ours[i]]) }).toEqual({ slice: cases[i], difference: null });
    }
    tf.dispose(inputs);
  });

  test('a scalar begin/size and a bool tensor behave as in tfjs', () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const flags = tf.tensor2d([[true, false, true], [false, true, true]], [2, 3], 'bool');
    const { tfjs, ours } = withAndWithout(() => [tf.slice(x, 1), tf.slice(x, [0, 1], [2, 1]), tf.slice(flags, [0, 1], [2, 2])]);
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose([x, flags]);
  });

  test('out-of-range parameters raise tfjs\'s error', () => {
    const x = tf.zeros([3, 4]);
    expect(() => tf.slice(x, [0, 2], [2, 3])).toThrow(/slice/i);
    x.dispose();
  });

  test('the gradient (a pad) equals tfjs and nothing leaks', () => {
    const rand = seeded(7);
    const x = randomTensor(rand, [4, 6, 5], false);
    const loss = (t: tf.Tensor) => tf.sum(tf.square(tf.slice(t, [1, 2, 0], [2, 3, 4])));
    const { tfjs, ours } = withAndWithout(() => tf.grad(loss)(x));
    expect(firstDifference(tfjs, ours)).toBeNull();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.tidy(() => tf.grad(loss)(x).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
