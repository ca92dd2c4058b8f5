import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { UpSampling1D } from './up_sampling1d';

describe('UpSampling1D', () => {
  test("Keras's example: size=2 on a (2, 2, 3) range", () => {
    const x = tf.range(0, 12).reshape([2, 2, 3]);
    expect((new UpSampling1D({ size: 2 }).apply(x) as Tensor).arraySync()).toEqual([
      [[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]],
      [[6, 7, 8], [6, 7, 8], [9, 10, 11], [9, 10, 11]],
    ]);
  });

  test('the gradient of a repeated step is the sum over its copies', () => {
    const g = tf.grad((x: Tensor) => tf.sum(tf.mul(new UpSampling1D({ size: 3 }).apply(x) as Tensor, tf.tensor3d([[[1], [2], [3], [10], [20], [30]]]))))(tf.ones([1, 2, 1]));
    expect(g.reshape([-1]).arraySync()).toEqual([6, 60]);
  });

  test('passes the shared layer test (Keras 3 dialect only: tfjs has no UpSampling1D); shape and argument errors', () => {
    runLayerTest({
      make: () => new UpSampling1D({ size: 3, name: 'up' }), input: tf.randomNormal([2, 4, 2], 0, 1, 'float32', 1), expectedOutputShape: [2, 12, 2],
      expectedWeights: [], mask: { input: tf.tensor2d([[1, 1, 0, 1], [1, 0, 1, 1]]).cast('bool'), expected: null },
      unsupportedDialects: { tfjs: /UpSampling1D 'up' cannot be written for TensorFlow.js: TensorFlow.js has no UpSampling1D layer/ },
    });
    expect(new UpSampling1D().computeOutputShape([null, null, 2])).toEqual([null, null, 2]);
    expect(() => new UpSampling1D({ size: 0 })).toThrow(/UpSampling1D: size: expected a positive integer, got 0/);
  });
});
