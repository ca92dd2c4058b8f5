import * as tf from '@tensorflow/tfjs';
import { activeImplementation, setImplementation } from '../backend/implementation_choice';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import { EMBEDDING_LOOKUP, EMBEDDING_LOOKUP_GRAD } from '../registration/embedding_kernels';
import { embeddingLookup } from './embedding_lookup';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const initial = activeImplementation().name;
afterAll(() => setImplementation(initial));

describe.each(implementationsUnderTest())('embeddingLookup on the %s kernels', (implementation) => {
  beforeAll(() => setImplementation(implementation));

  const table = tf.randomNormal([11, 5], 0, 1, 'float32', 3);
  // Repeated ids (their gradients add up), id 0 and the last id, rank-2 ids.
  const ids = tf.tensor2d([[3, 3, 0, 10], [7, 3, 1, 10]], undefined, 'int32');
  afterAll(() => tf.dispose([table, ids]));

  test('equals tf.gather in value, for int32 and float ids, and for ids of any rank', () => {
    const out = embeddingLookup(table, ids);
    expect(out.shape).toEqual([2, 4, 5]);
    const reference = tf.gather(table, ids);
    expect(maxDiff(out, reference)).toBe(0);
    const fromFloats = embeddingLookup(table, ids.toFloat());
    expect(maxDiff(fromFloats, reference)).toBe(0);
    const scalarId = embeddingLookup(table, tf.scalar(4, 'int32'));
    expect(scalarId.shape).toEqual([5]);
    const empty = embeddingLookup(table, tf.zeros([0, 3], 'int32'));
    expect(empty.shape).toEqual([0, 3, 5]);
    tf.dispose([out, reference, fromFloats, scalarId, empty]);
  });

  test('its gradient equals that of tf.gather (repeated ids add up), with no tensor left behind', () => {
    const weights = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 4);
    const loss = (lookup: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(lookup(t)), weights));
    const before = tf.memory().numTensors;
    const ours = tf.grad(loss((t) => embeddingLookup(t, ids)))(table);
    const theirs = tf.grad(loss((t) => tf.gather(t, ids)))(table);
    expect(ours.shape).toEqual([11, 5]);
    expect(maxDiff(ours, theirs)).toBeLessThan(1e-6);
    // Rows never looked up get exactly zero.
    expect(Array.from(tf.tidy(() => ours.slice([2, 0], [1, 5]).dataSync()))).toEqual([0, 0, 0, 0, 0]);
    tf.dispose([ours, theirs]);
    expect(tf.memory().numTensors).toBe(before);
    // Through an optimizer, on a variable: the same update as with tf.gather.
    const a = tf.variable(table.clone());
    const b = tf.variable(table.clone());
    tf.train.sgd(0.5).minimize(() => loss((t) => embeddingLookup(t, ids))(a) as tf.Scalar, false, [a]);
    tf.train.sgd(0.5).minimize(() => loss((t) => tf.gather(t, ids))(b) as tf.Scalar, false, [b]);
    expect(maxDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([a, b, weights]);
  });

  test('the gradient agrees with central finite differences', () => {
    const w = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 5);
    const wValues = w.dataSync();
    const lossOf = (t: tf.Tensor): number => {
      const out = embeddingLookup(t, ids);
      const values = out.dataSync();
      out.dispose();
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += Math.tanh(values[i]) * wValues[i];
      return sum;
    };
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(embeddingLookup(t, ids)), w)))(table);
    const g = grad.dataSync();
    const base = table.dataSync();
    for (const [row, col] of [[3, 0], [3, 4], [10, 2], [0, 1], [7, 3], [5, 2]]) {
      const k = row * 5 + col;
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[k] += 1e-2;
      minus[k] -= 1e-2;
      const tp = tf.tensor2d(plus, [11, 5]);
      const tm = tf.tensor2d(minus, [11, 5]);
      const numeric = (lossOf(tp) - lossOf(tm)) / (plus[k] - minus[k]);
      expect(g[k]).toBeCloseTo(numeric, 3);
      tf.dispose([tp, tm]);
    }
    tf.dispose([grad, w]);
  });

  test('an id outside the table is an error naming the caller, inputDim and the id; nothing leaks', () => {
    const before = tf.memory().numTensors;
    const bad = tf.tensor2d([[1, 2], [11, 0]], undefined, 'int32');
    expect(() => embeddingLookup(table, bad, { context: "Embedding 'tokens'" })).toThrow(
      "Embedding 'tokens': index 11 (at position [1, 0]) is out of range: indices must lie in [0, 10] (inputDim 11); raise inputDim or clip the indices.",
    );
    const negative = tf.tensor1d([-1]);
    expect(() => embeddingLookup(table, negative)).toThrow(/^embeddingLookup: index -1 \(at position \[0\]\) is out of range/);
    const notANumber = tf.tensor1d([NaN]);
    expect(() => embeddingLookup(table, notANumber)).toThrow(/index NaN/);
    // 2^32 + 3 (as float32, 2^32) would wrap around to a row of the table as an int32 conversion.
    const huge = tf.tensor1d([2 ** 32 + 3, -0.5, 10.9]);
    expect(() => embeddingLookup(table, huge)).toThrow(/^embeddingLookup: index 4294967296 \(at position \[0\]\) is out of range/);
    // Fractions truncate toward zero, as a cast does: -0.5 is row 0 and 10.9 row 10.
    const fractions = tf.tensor1d([-0.5, 10.9]);
    tf.tidy(() => expect(Array.from(embeddingLookup(table, fractions).dataSync())).toEqual(Array.from(tf.gather(table, [0, 10]).dataSync())));
    tf.dispose([bad, negative, notANumber, huge, fractions]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => embeddingLookup(tf.ones([3]), ids)).toThrow(/the table must be a float32 tf.Tensor of shape \[inputDim, outputDim\], got shape \[3\]/);
    expect(() => embeddingLookup(table, tf.tensor1d([true as unknown as number], 'bool'))).toThrow(/indices must be an int32/);
  });

  test('registered, forward and gradient, on the cpu backend', () => {
    embeddingLookup(table, ids).dispose();
    expect(tf.getKernel(EMBEDDING_LOOKUP, 'cpu')).toBeDefined();
    expect(tf.getKernel(EMBEDDING_LOOKUP_GRAD, 'cpu')).toBeDefined();
    expect(tf.getGradient(EMBEDDING_LOOKUP)).toBeDefined();
  });
});
