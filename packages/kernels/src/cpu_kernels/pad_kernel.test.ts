/** PadV2 replacement: exactly tfjs's results for random paddings and constants, float32 and int32. */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, randomTensor, seeded, withAndWithout } from './__tests__/support';
import { padConstant } from './pad_kernel';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

describe('PadV2', () => {
  test('padConstant places the input inside the constant', () => {
    const { shape, values } = padConstant(Float32Array.from([1, 2, 3, 4]), [2, 2], [[1, 0], [0, 1]], 9);
    expect(shape).toEqual([3, 3]);
    expect(Array.from(values)).toEqual([9, 9, 9, 1, 2, 9, 3, 4, 9]);
  });

  test('equals tfjs exactly on random paddings and constants (float32 with specials, and int32)', () => {
    const rand = seeded(31337);
    const constants = [0, 1.5, -2, NaN, 1e40, -0];
    const cases = Array.from({ length: 200 }, (_, i) => {
      const rank = 1 + Math.floor(rand() * 5);
      const shape = Array.from({ length: rank }, () => (rand() < 0.05 ? 0 : 1 + Math.floor(rand() * 4)));
      const paddings = shape.map(() => (rand() < 0.4 ? [0, 0] : [Math.floor(rand() * 3), Math.floor(rand() * 3)])) as Array<[number, number]>;
      return { shape, paddings, constant: constants[i % constants.length], int: i % 4 === 3 };
    });
    cases.push({ shape: [128, 128], paddings: [[0, 0], [128, 128]], constant: 0, int: false });
    const inputs = cases.map((c) => (c.int ? tf.cast(tf.mul(randomTensor(rand, c.shape, false), 1000), 'int32') : randomTensor(rand, c.shape)));
    const { tfjs, ours } = withAndWithout(() => cases.map((c, i) => tf.pad(inputs[i], c.paddings, c.constant)));
    for (let i = 0; i < cases.length; i++) {
      expect({ pad: cases[i], difference: firstDifference([tfjs[i]], [ours[i]]) }).toEqual({ pad: cases[i], difference: null });
    }
    tf.dispose(inputs);
  });

  test('bool tensors and the gradient of pad behave as in tfjs, without leaks', () => {
    const rand = seeded(5);
    const x = randomTensor(rand, [3, 4], false);
    const flags = tf.tensor1d([true, false], 'bool');
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.pad(t, [[1, 2], [0, 3]], 0.5), tf.pad(t, [[2, 1], [3, 0]])));
    const { tfjs, ours } = withAndWithout(() => [tf.pad(flags, [[1, 1]]), tf.grad(loss)(x)]);
    expect(firstDifference(tfjs, ours)).toBeNull();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.tidy(() => tf.grad(loss)(x).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, flags]);
  });
});
