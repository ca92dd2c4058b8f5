import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Cropping1D } from './cropping1d';

describe('Cropping1D', () => {
  test("Keras's example: cropping=1 on a (2, 3, 2) range", () => {
    const x = tf.range(0, 12).reshape([2, 3, 2]);
    expect((new Cropping1D({ cropping: 1 }).apply(x) as Tensor).arraySync()).toEqual([[[2, 3]], [[8, 9]]]);
  });

  test('[before, after] and the default (1, 1)', () => {
    const x = tf.tensor3d([[[1], [2], [3], [4], [5]]]);
    expect((new Cropping1D({ cropping: [2, 0] }).apply(x) as Tensor).reshape([-1]).arraySync()).toEqual([3, 4, 5]);
    expect((new Cropping1D().apply(x) as Tensor).reshape([-1]).arraySync()).toEqual([2, 3, 4]);
  });

  test('passes the shared layer test (Keras 3 dialect only: tfjs has no Cropping1D)', () => {
    runLayerTest({
      make: () => new Cropping1D({ cropping: [1, 2], name: 'crop' }), input: tf.randomNormal([2, 6, 3], 0, 1, 'float32', 1), expectedOutputShape: [2, 3, 3],
      expectedWeights: [], mask: { input: tf.tensor2d([[1, 1, 0, 1, 1, 0], [1, 0, 1, 1, 1, 1]]).cast('bool'), expected: null },
      unsupportedDialects: { tfjs: /Cropping1D 'crop' cannot be written for TensorFlow.js: TensorFlow.js has no Cropping1D layer/ },
    });
  });

  test('cropping everything is an error, on graphs and on tensors', () => {
    expect(() => new Cropping1D({ cropping: [2, 1] }).apply(input({ shape: [3, 2] }))).toThrow(/cropping \[2, 1\] must leave at least one of the 3 steps/);
    expect(() => new Cropping1D({ cropping: 2 }).apply(tf.ones([1, 4, 1]))).toThrow(/cropping \[2, 2\] must leave at least one of the 4 steps/);
    expect(new Cropping1D().computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
  });
});
