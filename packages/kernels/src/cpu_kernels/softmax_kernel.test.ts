/** Softmax replacement: exactly tfjs's results (specials included), other axes and dtypes left to tfjs, gradients unchanged. */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, randomTensor, seeded, withAndWithout } from './__tests__/support';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

describe('Softmax', () => {
  test('equals tfjs exactly on random float32 logits of rank 1-4, with and without NaN and infinities', () => {
    const rand = seeded(77);
    const shapes = [[1], [7], [3, 1], [128, 60], [2, 3, 5], ...Array.from({ length: 40 }, () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => 1 + Math.floor(rand() * 9)))];
    for (const specials of [false, true]) {
      const inputs = shapes.map((s) => randomTensor(rand, s, specials));
      const { tfjs, ours } = withAndWithout(() => inputs.map((x) => tf.softmax(x)));
      expect(firstDifference(tfjs, ours)).toBeNull();
      tf.dispose(inputs);
    }
  });

  test('large logits (where exp overflows without the max shift) match too', () => {
    const x = tf.tensor2d([[1000, 1001, 999], [-1000, -1e30, 0], [88, 89, 90]]);
    const { tfjs, ours } = withAndWithout(() => tf.softmax(x));
    expect(firstDifference(tfjs, ours)).toBeNull();
    expect(Array.from(ours[0].values).every((v) => v >= 0 && v <= 1)).toBe(true);
    x.dispose();
  });

  test('an empty tensor and a non-last axis go to tfjs (its own error for the axis)', () => {
    const empty = tf.zeros([0, 3]);
    const { tfjs, ours } = withAndWithout(() => tf.softmax(empty));
    expect(firstDifference(tfjs, ours)).toBeNull();
    const x = tf.ones([2, 3]);
    expect(() => tf.softmax(x, 0)).toThrow(/non-last dimension/);
    tf.dispose([empty, x]);
  });

  test('the gradient equals tfjs and nothing leaks', () => {
    const x = randomTensor(seeded(5), [6, 9], false);
    const w = randomTensor(seeded(6), [6, 9], false);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w)));
    const { tfjs, ours } = withAndWithout(() => grad(x));
    expect(firstDifference(tfjs, ours)).toBeNull();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.tidy(() => grad(x).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});
