/** Sqrt, Log, Neg, Relu and Step replacements: exactly tfjs's results, int32 left to tfjs, gradients unchanged. */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, randomTensor, seeded, withAndWithout } from './__tests__/support';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

const OPS: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
  ['Sqrt', tf.sqrt], ['Log', tf.log], ['Neg', tf.neg], ['Relu', tf.relu], ['Step', (x) => tf.step(x, 0.25)],
];

describe.each(OPS)('%s', (_name, op) => {
  test('equals tfjs exactly on random float32 tensors of rank 0-5 with specials', () => {
    const rand = seeded(_name.length * 101);
    const shapes = [[], [0], [3, 0, 2], ...Array.from({ length: 60 }, () => Array.from({ length: Math.floor(rand() * 6) }, () => 1 + Math.floor(rand() * 4)))];
    const inputs = shapes.map((s) => randomTensor(rand, s));
    const { tfjs, ours } = withAndWithout(() => inputs.map((x) => op(x)));
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose(inputs);
  });

  test('int32 input runs tfjs\'s kernel', () => {
    // (tf.sqrt and tf.log accept only float32, so the kernel is called directly)
    const x = tf.tensor1d([4, 9, -3, 0], 'int32');
    const { tfjs, ours } = withAndWithout(() => tf.engine().runKernel(_name, { x }, { alpha: 0 }) as tf.Tensor);
    expect(ours[0].dtype).toBe(tfjs[0].dtype);
    expect(firstDifference(tfjs, ours)).toBeNull();
    x.dispose();
  });

  test('the gradient equals tfjs and nothing leaks', () => {
    const x = tf.add(tf.abs(randomTensor(seeded(3), [5, 4], false)), 0.1);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t), t)));
    const { tfjs, ours } = withAndWithout(() => grad(x));
    expect(firstDifference(tfjs, ours)).toBeNull();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.tidy(() => grad(x).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
