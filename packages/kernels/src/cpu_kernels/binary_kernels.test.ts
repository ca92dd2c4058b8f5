/**
 * The binary replacements (float32 arithmetic and comparisons, LogicalAnd) give exactly tfjs's results (values, shapes, dtypes) over random
 * broadcasts of rank 0-5, empty tensors and NaN/Infinity/signed zeros; other dtypes and errors are
 * tfjs's own; gradients are unchanged; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { firstDifference, randomTensor, seeded, withAndWithout } from './__tests__/support';
import { cpuKernelOverridesActive, registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernelOverrides();
});
afterAll(() => unregisterCpuKernelOverrides());

const OPS: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
  ['Add', tf.add],
  ['Sub', tf.sub],
  ['Multiply', tf.mul],
  ['RealDiv', tf.div],
  ['Maximum', tf.maximum],
  ['Minimum', tf.minimum],
  ['SquaredDifference', tf.squaredDifference],
  ['Greater', tf.greater],
  ['GreaterEqual', tf.greaterEqual],
  ['Less', tf.less],
  ['LessEqual', tf.lessEqual],
  ['Equal', tf.equal],
  ['NotEqual', tf.notEqual],
];

/** Random compatible shape pairs: an output shape, then each operand drops leading dims and sets some to 1. */
function randomShapePair(rand: () => number): [number[], number[]] {
  const rank = Math.floor(rand() * 6);
  const out = Array.from({ length: rank }, () => (rand() < 0.04 ? 0 : 1 + Math.floor(rand() * 4)));
  const operand = (): number[] => {
    if (rand() < 0.2) return out.slice();
    const dropped = Math.floor(rand() * (rank + 1));
    return out.slice(dropped).map((d) => (rand() < 0.35 ? 1 : d));
  };
  return [operand(), operand()];
}

const NAMED_PAIRS: Array<[number[], number[]]> = [
  [[128, 60], [128, 1]],
  [[128, 1], [128, 60]],
  [[4, 5, 6], [6]],
  [[6], [4, 5, 6]],
  [[3, 4], []],
  [[], [3, 4]],
  [[], []],
  [[1], [1, 1, 1]],
  [[4, 1], [1, 6]],
  [[2, 1, 3, 1, 5], [1, 1, 3, 4, 1]],
  [[2, 3, 4, 5, 6], [2, 1, 4, 1, 6]],
  [[0, 3], [3]],
  [[0], []],
  [[2, 0, 3], [2, 1, 3]],
  [[1, 3], [0, 1]],
  [[7, 300], [300]],
  [[300, 2], [300, 1]],
];

describe.each(OPS)('%s', (name, op) => {
  test('is replaced on the cpu backend', () => {
    expect(cpuKernelOverridesActive()).toContain(name);
  });

  test('equals tfjs exactly on named and random broadcasts of rank 0-5, with specials', () => {
    const rand = seeded(name.length * 7919 + 17);
    const pairs = [...NAMED_PAIRS, ...Array.from({ length: 150 }, () => randomShapePair(rand))];
    const inputs = pairs.map(([as, bs]) => [randomTensor(rand, as), randomTensor(rand, bs)] as const);
    const { tfjs, ours } = withAndWithout(() => inputs.map(([a, b]) => op(a, b)));
    for (let i = 0; i < pairs.length; i++) {
      const difference = firstDifference([tfjs[i]], [ours[i]]);
      expect({ shapes: pairs[i], difference }).toEqual({ shapes: pairs[i], difference: null });
    }
    tf.dispose(inputs.flat());
  });

  test('int32 operands run tfjs\'s kernel and keep its dtype', () => {
    const a = tf.tensor2d([[1, -2, 3], [4, 5, -6]], [2, 3], 'int32');
    const b = tf.tensor1d([7, -1, 2], 'int32');
    const { tfjs, ours } = withAndWithout(() => op(a, b));
    expect(ours[0].dtype).toBe(tfjs[0].dtype);
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose([a, b]);
  });

  test('incompatible shapes raise tfjs\'s error', () => {
    const a = tf.zeros([2, 3]), b = tf.zeros([4]);
    unregisterCpuKernelOverrides();
    let expected = '';
    try { op(a, b); } catch (e) { expected = (e as Error).message; }
    registerCpuKernelOverrides();
    expect(expected).toMatch(/broadcast/i);
    expect(() => op(a, b)).toThrow(expected);
    tf.dispose([a, b]);
  });
});

describe('LogicalAnd', () => {
  test('equals tfjs exactly on random bool broadcasts of rank 0-5', () => {
    const rand = seeded(2024);
    const pairs = [...NAMED_PAIRS, ...Array.from({ length: 150 }, () => randomShapePair(rand))];
    const flags = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => rand() < 0.5), shape, 'bool');
    const inputs = pairs.map(([as, bs]) => [flags(as), flags(bs)] as const);
    const { tfjs, ours } = withAndWithout(() => inputs.map(([a, b]) => tf.logicalAnd(a, b)));
    expect(ours.every((r) => r.dtype === 'bool')).toBe(true);
    for (let i = 0; i < pairs.length; i++) {
      expect({ shapes: pairs[i], difference: firstDifference([tfjs[i]], [ours[i]]) }).toEqual({ shapes: pairs[i], difference: null });
    }
    tf.dispose(inputs.flat());
  });
});

describe('binary replacements, cases for the original kernel', () => {
  test('complex64 addition and multiplication match tfjs', () => {
    const a = tf.complex([1, 2, 3], [4, 5, 6]), b = tf.complex([0.5, -1, 2], [1, 1, -3]);
    const { tfjs, ours } = withAndWithout(() => [tf.real(tf.add(a, b)), tf.imag(tf.mul(a, b)), tf.real(tf.sub(a, b))]);
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose([a, b]);
  });

  test('a float32 kernel called with an int32 operand runs the original', () => {
    const a = tf.tensor1d([1.5, 2.5]), b = tf.tensor1d([1, 2], 'int32');
    const call = () => tf.engine().runKernel('Add', { a, b }) as tf.Tensor;
    const { tfjs, ours } = withAndWithout(call);
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose([a, b]);
  });
});

describe('gradients and memory', () => {
  test('tf.grads through every replaced op with broadcasts equals tfjs exactly', () => {
    const rand = seeded(99);
    const x = randomTensor(rand, [6, 5], false), w = randomTensor(rand, [5], false);
    const c = randomTensor(rand, [6, 1], false), d = tf.add(tf.abs(randomTensor(rand, [1, 5], false)), 0.5);
    const loss = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor, s: tf.Tensor): tf.Scalar => {
      const y = tf.maximum(tf.minimum(tf.add(tf.mul(p, q), r), 2), -2);
      // (tfjs's SquaredDifference gradient does not reduce broadcast dimensions: equal shapes there)
      return tf.sum(tf.div(tf.squaredDifference(tf.sub(y, r), tf.mul(p, 0.5)), s));
    };
    const { tfjs, ours } = withAndWithout(() => tf.grads(loss)([x, w, c, d]));
    expect(firstDifference(tfjs, ours)).toBeNull();
    tf.dispose([x, w, c, d]);
  });

  test('repeated calls leave no tensors behind', () => {
    registerCpuKernelOverrides();
    const a = tf.ones([8, 3]), b = tf.ones([8, 1]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      tf.tidy(() => {
        for (const [, op] of OPS) op(a, b).dataSync();
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, b)))(a).dataSync();
      });
      tf.dispose(tf.add(a, b));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
