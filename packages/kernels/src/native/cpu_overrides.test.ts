/** The native 'cpu' matrix-product kernels give tfjs's results, gradients included, without leaks. */
import * as tf from '@tensorflow/tfjs';
import { registerNativeCpuOverrides, unregisterNativeCpuOverrides } from './cpu_overrides';
import { requireNative } from './__tests__/native_fixture';
import { seededRandom } from './__tests__/random_requests';

const { addon } = requireNative();

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => unregisterNativeCpuOverrides());

function random(shape: number[], seed: number): tf.Tensor {
  const rand = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rand() * 2 - 1), shape);
}

/** Runs fn with tfjs's own kernels, then with the native ones, and compares the results. */
function expectSameWithAndWithout(fn: () => tf.Tensor | tf.Tensor[], tolerance = 1e-4): void {
  unregisterNativeCpuOverrides();
  const plain = tf.tidy(() => [fn()].flat().map((t) => t.arraySync()));
  expect(registerNativeCpuOverrides(addon).sort()).toEqual(['BatchMatMul', '_FusedMatMul']);
  const native = tf.tidy(() => [fn()].flat().map((t) => t.arraySync()));
  expect(native.length).toBe(plain.length);
  native.forEach((values, i) => {
    const a = (plain[i] as number[]).flat(4) as number[];
    const b = (values as number[]).flat(4) as number[];
    expect(b.length).toBe(a.length);
    a.forEach((v, j) => expect(Math.abs(b[j] - v)).toBeLessThanOrEqual(tolerance));
  });
}

const CASES: Array<[string, number[], number[], boolean, boolean]> = [
  ['dense product', [32, 256], [256, 10], false, false],
  ['odd sizes', [7, 13], [13, 5], false, false],
  ['transposed A', [13, 7], [13, 5], true, false],
  ['transposed B', [7, 13], [5, 13], false, true],
  ['both transposed', [13, 7], [5, 13], true, true],
  ['batched', [3, 7, 13], [3, 13, 5], false, false],
  ['batched, shared B', [4, 6, 13], [13, 5], false, false],
  ['batched transposed A, shared B', [4, 13, 6], [13, 5], true, false],
  ['batched, shared A', [7, 13], [2, 13, 5], false, false],
  ['rank 4', [2, 3, 4, 5], [2, 3, 6, 5], false, true],
  ['batch of one against a batch', [1, 4, 5], [3, 5, 6], false, false],
];

describe('native cpu matrix products', () => {
  test.each(CASES)('%s', (_name, aShape, bShape, ta, tb) => {
    const a = random(aShape, 1), b = random(bShape, 2);
    expectSameWithAndWithout(() => tf.matMul(a, b, ta, tb));
    tf.dispose([a, b]);
  });

  test('fused matMul with bias and relu, as Dense uses it', () => {
    const a = random([32, 64], 3), w = random([64, 10], 4), bias = random([10], 5);
    for (const activation of ['linear', 'relu', 'elu'] as const) {
      expectSameWithAndWithout(() => tf.fused.matMul({ a, b: w, bias, activation }));
    }
    expectSameWithAndWithout(() => tf.fused.matMul({ a, b: w }));
    tf.dispose([a, w, bias]);
  });

  test('gradients through the products match', () => {
    const a = random([5, 8], 6), w = random([8, 3], 7), bias = random([3], 8);
    const loss = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: z, activation: 'relu' })));
    expectSameWithAndWithout(() => tf.grads(loss)([a, w, bias]));
    tf.dispose([a, w, bias]);
  });

  test('int32 inputs run the original kernel', () => {
    registerNativeCpuOverrides(addon);
    const c = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3], [4]], [2, 1], 'int32')));
    expect(c.dtype).toBe('int32');
    expect(c.arraySync()).toEqual([[11]]);
    c.dispose();
  });

  test('mismatched inner sizes still raise tfjs\'s error', () => {
    registerNativeCpuOverrides(addon);
    expect(() => tf.tidy(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 2])))).toThrow(/inner shapes/);
  });

  test('no tensors leak over repeated calls', () => {
    registerNativeCpuOverrides(addon);
    const a = random([16, 32], 9), w = random([32, 8], 10), bias = random([8], 11);
    const step = () => tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias, activation: 'relu' })))([a, w]));
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, w, bias]);
  });
});
