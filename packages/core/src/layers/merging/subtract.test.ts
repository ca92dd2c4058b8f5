import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Subtract } from './subtract';

describe('Subtract', () => {
  test('first minus second, with Keras rank alignment (axes inserted after the batch)', () => {
    expect((new Subtract().apply([tf.tensor2d([[5, 7]]), tf.tensor2d([[1, 2]])]) as Tensor).arraySync()).toEqual([[4, 5]]);
    // [1, 2] is read as [1, 1, 2] against [1, 3, 2]: subtracted from every step.
    const y = new Subtract().apply([tf.tensor3d([[[1, 1], [2, 2], [3, 3]]]), tf.tensor2d([[1, 2]])]) as Tensor;
    expect(y.arraySync()).toEqual([[[0, -1], [1, 0], [2, 1]]]);
    expect((new Subtract().apply([input({ shape: [3, 2] }), input({ shape: [2] })]) as { shape: unknown }).shape).toEqual([null, 3, 2]);
  });

  test('mask: OR of the two masks when both have one', () => {
    const m1 = tf.tensor2d([[1, 0, 0]]).cast('bool');
    const m2 = tf.tensor2d([[0, 1, 0]]).cast('bool');
    const x = tf.ones([1, 3, 2]);
    expect((new Subtract().computeMask([x, x], [m1, m2]) as Tensor).arraySync()).toEqual([[1, 1, 0]]);
    expect(new Subtract().computeMask([x, x], [m1, null as never])).toBeNull();
  });

  test('passes the shared layer test (Keras 3 dialect only: tfjs has no Subtract)', () => {
    const [a, b] = [1, 2].map((seed) => tf.randomNormal([2, 3, 4], 0, 1, 'float32', seed));
    runLayerTest({
      make: () => new Subtract({ name: 'minus' }), input: [a, b], expectedOutputShape: [2, 3, 4], expectedOutput: tf.sub(a, b), expectedWeights: [],
      mask: { input: tf.tensor2d([[1, 0, 1], [1, 1, 0]]).cast('bool'), expected: null },
      unsupportedDialects: { tfjs: /Subtract 'minus' cannot be written for TensorFlow.js: TensorFlow.js has no Subtract layer/ },
    });
  });

  test('exactly two inputs', () => {
    const a = input({ shape: [2] });
    expect(() => new Subtract().apply([a, a, a])).toThrow(/Subtract 'subtract.*': expects exactly 2 inputs, got 3/);
    expect(() => new Subtract().apply(a)).toThrow(/expects a list of at least 2 inputs/);
  });
});
