/**
 * The native 'cpu' matrix-product kernels give exactly tfjs 4.22's results (every bit but a NaN's
 * payload, compared with Object.is): products with transposes, batches shared or broadcast, odd
 * sizes, several depth blocks of 48 and several threads, NaN/Infinity/signed zeros, bias and relu,
 * on every SIMD path; gradients too; other cases run tfjs's own kernel; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { registerNativeCpuOverrides, unregisterNativeCpuOverrides } from './cpu_overrides';
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { firstDifference, randomValues, seeded, type Computed } from '../cpu_kernels/__tests__/support';

const { addon } = requireNative();

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => unregisterNativeCpuOverrides());

function tensor(rand: () => number, shape: number[], specials: boolean): tf.Tensor {
  return tf.tensor(randomValues(rand, shape.reduce((a, b) => a * b, 1), specials), shape, 'float32');
}

function read(result: tf.Tensor | tf.Tensor[]): Computed[] {
  return [result].flat().map((t) => ({ shape: t.shape.slice(), dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) }));
}

/** Runs fn with tfjs's own kernels, then with the native ones (left registered); fails on the first bit that differs. */
function expectIdentical(fn: () => tf.Tensor | tf.Tensor[], what: string): void {
  const run = (): Computed[] => {
    let out: Computed[] = [];
    tf.tidy(() => {
      out = read(fn());
    });
    return out;
  };
  unregisterNativeCpuOverrides();
  const tfjs = run();
  expect(registerNativeCpuOverrides(addon).sort()).toEqual(['BatchMatMul', '_FusedMatMul']);
  const ours = run();
  const difference = firstDifference(tfjs, ours);
  if (difference !== null) throw new Error(`${what}: ${difference}`);
}

/** Shapes of op(A) and op(B) stored as transposes ask, over batch dimensions `outerA` / `outerB`. */
function stored(outer: number[], rows: number, cols: number, transposed: boolean): number[] {
  return [...outer, ...(transposed ? [cols, rows] : [rows, cols])];
}

const NAMED: Array<[string, number, number, number, number[], number[], boolean, boolean]> = [
  // name, m, n, k, outer A, outer B, transposeA, transposeB
  ['a Dense product', 32, 10, 256, [], [], false, false],
  ['the 64x128 . 128x64 product', 64, 64, 128, [], [], false, false],
  ['odd sizes', 7, 5, 13, [], [], false, false],
  ['transposed A', 7, 5, 13, [], [], true, false],
  ['transposed B', 7, 5, 13, [], [], false, true],
  ['both transposed', 7, 5, 97, [], [], true, true],
  ['several threads and depth blocks', 150, 300, 200, [], [], false, false],
  ['several threads, both transposed', 100, 140, 97, [], [], true, true],
  ['batched', 7, 5, 13, [3], [3], false, false],
  ['batched, shared B', 6, 5, 49, [4], [], false, false],
  ['batched transposed A, shared B', 6, 5, 13, [4], [], true, false],
  ['batched, shared A', 7, 5, 13, [], [2], false, false],
  ['rank 4', 4, 6, 5, [2, 3], [2, 3], false, true],
  ['a batch of one against a batch', 4, 6, 5, [1], [3], false, false],
  ['a general broadcast (tfjs\'s own kernel)', 4, 6, 5, [2, 1], [1, 3], false, false],
  ['an empty depth', 3, 4, 0, [], [], false, false],
  ['no rows', 0, 4, 3, [], [], false, false],
  ['one row', 1, 33, 70, [], [], false, false],
];

describe('native cpu matrix products are bit-identical to tfjs', () => {
  test.each(NAMED)('%s', (name, m, n, k, outerA, outerB, ta, tb) => {
    const rand = seeded(m * 1000 + n * 10 + k);
    for (const specials of [false, true]) {
      const a = tensor(rand, stored(outerA, m, k, ta), specials), b = tensor(rand, stored(outerB, k, n, tb), specials);
      forEachSimd(addon, (level) => expectIdentical(() => tf.matMul(a, b, ta, tb), `${name} (${level}, specials ${specials})`));
      tf.dispose([a, b]);
    }
  });

  test('random shapes, transposes, batches and values', () => {
    const rand = seeded(20261203);
    const size = (max: number) => Math.floor(rand() * max);
    for (let c = 0; c < 60; c++) {
      const m = 1 + size(70), n = 1 + size(140), k = size(150);
      const ta = rand() < 0.5, tb = rand() < 0.5;
      const batch = 1 + size(3);
      const shape = rand();
      const outerA = shape < 0.4 ? [] : [batch], outerB = shape < 0.4 || shape > 0.8 ? [] : [batch];
      const a = tensor(rand, stored(outerA, m, k, ta), rand() < 0.5);
      const b = tensor(rand, stored(outerB, k, n, tb), rand() < 0.5);
      expectIdentical(() => tf.matMul(a, b, ta, tb), `case ${c}: A [${a.shape}] B [${b.shape}] transposes ${ta} ${tb}`);
      tf.dispose([a, b]);
    }
  });

  test('fused matMul with bias and activations, as Dense uses it', () => {
    const rand = seeded(5);
    for (const specials of [false, true]) {
      const a = tensor(rand, [37, 64], specials), w = tensor(rand, [64, 21], specials);
      const biases = [tensor(rand, [21], specials), tensor(rand, [1, 21], specials), tensor(rand, [37, 1], specials), tensor(rand, [1, 1, 21], specials)];
      for (const bias of biases) {
        for (const activation of [undefined, 'linear', 'relu', 'elu', 'sigmoid'] as const) {
          expectIdentical(() => tf.fused.matMul({ a, b: w, bias, activation }), `bias [${bias.shape}], ${activation}, specials ${specials}`);
        }
      }
      expectIdentical(() => tf.fused.matMul({ a, b: w, activation: 'relu' }), `no bias, relu, specials ${specials}`);
      const rowBias = tensor(rand, [37], specials);
      expectIdentical(() => tf.fused.matMul({ a: w, b: a, transposeA: true, transposeB: true, bias: rowBias, activation: 'relu' }), `transposed, specials ${specials}`);
      tf.dispose([a, w, rowBias, ...biases]);
    }
  });

  test('gradients through the products are identical', () => {
    const rand = seeded(6);
    const a = tensor(rand, [50, 80], false), w = tensor(rand, [80, 30], false), bias = tensor(rand, [30], false);
    const loss = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: z, activation: 'relu' })));
    expectIdentical(() => tf.grads(loss)([a, w, bias]), 'gradients of a Dense layer');
    tf.dispose([a, w, bias]);
  });

  test('the product of the addon alone equals tfjs\'s kernel', () => {
    const rand = seeded(7);
    const a = randomValues(rand, 45 * 130, true), b = randomValues(rand, 130 * 17, true);
    unregisterNativeCpuOverrides();
    const expected = tf.tidy(() => tf.matMul(tf.tensor2d(a, [45, 130]), tf.tensor2d(b, [130, 17])).dataSync() as Float32Array);
    const out = new Float32Array(45 * 17);
    addon.tfjsMatMul(45, 17, 130, a, b, false, false, out);
    const difference = firstDifference([{ shape: [], dtype: 'float32', values: Array.from(expected) }], [{ shape: [], dtype: 'float32', values: Array.from(out) }]);
    expect(difference).toBeNull();
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
    const rand = seeded(9);
    const a = tensor(rand, [16, 32], false), w = tensor(rand, [32, 8], false), bias = tensor(rand, [8], false);
    const step = () => tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias, activation: 'relu' })))([a, w]));
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, w, bias]);
  });
});
