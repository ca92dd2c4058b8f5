import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import type { Tensor } from '../../engine/types';
import { model } from '../../models/model';
import { runLayerTest } from '../../testing';
import { Dense } from '../core/dense';
import { Embedding } from '../core/embedding';
import { Add } from './add';
import { Concatenate } from './concatenate';

const shapeOf = (t: unknown) => (t as { shape: unknown }).shape;

describe('Concatenate', () => {
  test('passes the shared layer test, on the feature and the time axis', () => {
    const a = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 2);
    const mask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]).cast('bool');
    runLayerTest({
      make: () => new Concatenate(), input: [a, b], expectedOutputShape: [2, 3, 6], expectedOutput: tf.concat([a, b], -1),
      // Keras 3: a step is kept when any input keeps it, and an unmasked input keeps every step.
      expectedWeights: [], supportsMasking: true, mask: { input: mask, expected: tf.ones([2, 3], 'bool') },
    });
    runLayerTest({
      make: () => new Concatenate({ axis: 1 }), input: [a, tf.randomNormal([2, 5, 2], 0, 1, 'float32', 3)], expectedOutputShape: [2, 8, 2],
      expectedWeights: [], mask: { input: mask, expected: tf.tensor2d([[1, 1, 0, 1, 1, 1, 1, 1], [1, 0, 0, 1, 1, 1, 1, 1]]).cast('bool') },
    });
  });

  test('joins on the last axis by default, or on another axis', () => {
    const a = input({ shape: [5, 2] });
    const b = input({ shape: [5, 3] });
    expect(shapeOf(new Concatenate().apply([a, b]))).toEqual([null, 5, 5]);
    expect(shapeOf(new Concatenate({ axis: 1 }).apply([a, input({ shape: [null, 2] })]))).toEqual([null, null, 2]);
    const y = new Concatenate().apply([tf.tensor2d([[1]]), tf.tensor2d([[2, 3]])]) as Tensor;
    expect(y.arraySync()).toEqual([[1, 2, 3]]);
  });

  test('shape errors', () => {
    const a = input({ shape: [5, 2] });
    expect(() => new Concatenate().apply([a, input({ shape: [4, 2] })])).toThrow(/inputs must match except on axis -1, got \(None, 5, 2\) and \(None, 4, 2\)/);
    expect(() => new Concatenate().apply(a)).toThrow(/expects a list of at least 2 inputs/);
    expect(() => new Concatenate({ axis: 0 }).apply([a, a])).toThrow(/batch axis 0 cannot be joined/);
  });

  test('mask merge (Keras 3): unmasked inputs count as all-true; time-axis joins concatenate masks', () => {
    const c = new Concatenate();
    const x1 = tf.ones([1, 3, 2]);
    const x2 = tf.ones([1, 3, 4]);
    const m1 = tf.tensor2d([[1, 1, 0]]).cast('bool');
    expect(c.computeMask([x1, x2], [m1, null as never])).not.toBeNull();
    expect((c.computeMask([x1, x2], [m1, null as never]) as Tensor).arraySync()).toEqual([[1, 1, 1]]);
    const m2 = tf.tensor2d([[1, 0, 0]]).cast('bool');
    expect((c.computeMask([x1, x2], [m1, m2]) as Tensor).arraySync()).toEqual([[1, 1, 0]]);
    const t = new Concatenate({ axis: 1 });
    expect((t.computeMask([x1, x1], [m1, m2]) as Tensor).arraySync()).toEqual([[1, 1, 0, 1, 0, 0]]);
    expect(c.computeMask([x1, x2], null)).toBeNull();
  });

  test('the mask does not depend on the values, so a loss masked through it trains (no gradient through the mask)', async () => {
    const ids = input({ shape: [4] });
    const embedded = new Embedding({ inputDim: 5, outputDim: 3, maskZero: true }).apply(ids) as SymbolicTensor;
    const joined = new Concatenate().apply([new Dense({ units: 2 }).apply(embedded) as SymbolicTensor, embedded]) as SymbolicTensor;
    const m = model({ inputs: ids, outputs: new Dense({ units: 3, activation: 'softmax' }).apply(joined) as SymbolicTensor });
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const history = await m.fit(tf.tensor2d([[1, 2, 0, 0], [3, 4, 1, 0]]), tf.tensor2d([[1, 2, 0, 0], [0, 1, 2, 0]]), { epochs: 1, verbose: 0 });
    expect(Number.isFinite((history.history.loss as number[])[0])).toBe(true);
  });

  test('config round trip', () => {
    const c = new Concatenate({ axis: 1, name: 'join' });
    expect(Concatenate.fromConfig(c.getConfig()).getConfig()).toEqual({ name: 'join', trainable: true, dtype: 'float32', axis: 1 });
  });
});

describe('Add', () => {
  test('passes the shared layer test', () => {
    const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 1, 4], 0, 1, 'float32', 2);
    runLayerTest({
      make: () => new Add(), input: [a, b], expectedOutputShape: [2, 3, 4], expectedOutput: tf.add(a, b), expectedWeights: [],
      supportsMasking: true, mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 0]]).cast('bool'), expected: null },
    });
  });

  test('sums a list, with broadcasting of shape-1 dimensions', () => {
    const y = new Add().apply([tf.tensor2d([[1, 2]]), tf.tensor2d([[10, 20]]), tf.tensor2d([[100, 200]])]) as Tensor;
    expect(y.arraySync()).toEqual([[111, 222]]);
    expect(shapeOf(new Add().apply([input({ shape: [4, 3] }), input({ shape: [1, 3] })]))).toEqual([null, 4, 3]);
    expect(() => new Add().apply([input({ shape: [4] }), input({ shape: [3] })])).toThrow(/cannot combine inputs of shapes \(4,\) and \(3,\)/);
  });

  test('mask: OR of the masks when all inputs have one, else none', () => {
    const a = new Add();
    const x = tf.ones([1, 3, 1]);
    const m1 = tf.tensor2d([[1, 0, 0]]).cast('bool');
    const m2 = tf.tensor2d([[0, 0, 1]]).cast('bool');
    expect((a.computeMask([x, x], [m1, m2]) as Tensor).arraySync()).toEqual([[1, 0, 1]]);
    expect(a.computeMask([x, x], [m1, null as never])).toBeNull();
  });

  test('config round trip', () => {
    const a = new Add({ name: 'sum' });
    expect(Add.fromConfig(a.getConfig()).getConfig()).toEqual(a.getConfig());
  });
});
