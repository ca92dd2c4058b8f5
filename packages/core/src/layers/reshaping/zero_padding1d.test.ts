import * as tf from '@tensorflow/tfjs';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { runLayerTest } from '../../testing';
import { ZeroPadding1D } from './zero_padding1d';

describe('ZeroPadding1D', () => {
  test("Keras's example: padding=2 on a (2, 2, 3) range", () => {
    const x = tf.range(0, 12).reshape([2, 2, 3]);
    const zeros = [0, 0, 0];
    expect((new ZeroPadding1D({ padding: 2 }).apply(x) as Tensor).arraySync()).toEqual([
      [zeros, zeros, [0, 1, 2], [3, 4, 5], zeros, zeros],
      [zeros, zeros, [6, 7, 8], [9, 10, 11], zeros, zeros],
    ]);
  });

  test('[before, after], the default of 1, channels_first', () => {
    const x = tf.tensor3d([[[1], [2]]]);
    expect((new ZeroPadding1D({ padding: [0, 2] }).apply(x) as Tensor).reshape([-1]).arraySync()).toEqual([1, 2, 0, 0]);
    expect((new ZeroPadding1D().apply(x) as Tensor).reshape([-1]).arraySync()).toEqual([0, 1, 2, 0]);
    const cf = new ZeroPadding1D({ padding: [1, 0], dataFormat: 'channels_first' });
    expect((cf.apply(tf.tensor3d([[[1, 2], [3, 4]]])) as Tensor).arraySync()).toEqual([[[0, 1, 2], [0, 3, 4]]]);
    expect(cf.computeOutputShape([null, 2, null])).toEqual([null, 2, null]);
  });

  test('passes the shared layer test, channels_last and channels_first (Keras 3 dialect only: tfjs has no ZeroPadding1D)', () => {
    const notInTfjs = /ZeroPadding1D 'pad' cannot be written for TensorFlow.js: TensorFlow.js has no ZeroPadding1D layer/;
    runLayerTest({
      make: () => new ZeroPadding1D({ padding: [1, 3], name: 'pad' }), input: tf.randomNormal([2, 4, 2], 0, 1, 'float32', 1), expectedOutputShape: [2, 8, 2],
      expectedWeights: [], mask: { input: tf.tensor2d([[1, 1, 0, 1], [1, 0, 1, 1]]).cast('bool'), expected: null }, unsupportedDialects: { tfjs: notInTfjs },
    });
    runLayerTest({
      make: () => new ZeroPadding1D({ dataFormat: 'channels_first', name: 'pad' }), input: tf.randomNormal([2, 2, 4], 0, 1, 'float32', 2), expectedOutputShape: [2, 2, 6],
      unsupportedDialects: { tfjs: notInTfjs },
    });
  });

  test('errors: the tfjs dialect says tfjs lacks the layer; bad padding; wrong rank', () => {
    const m = new Sequential({ layers: [new ZeroPadding1D({ name: 'z', inputShape: [3, 2] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/config: ZeroPadding1D 'z' cannot be written for TensorFlow.js: TensorFlow.js has no ZeroPadding1D layer/);
    expect(modelToJSON(m)).toContain('"registered_name"'); // 'auto' chose Keras 3's spelling
    expect(() => new ZeroPadding1D({ padding: [1, 2, 3] as never })).toThrow(/ZeroPadding1D: padding: expected a non-negative integer or a list \[before, after\]/);
    expect(() => new ZeroPadding1D().apply(tf.ones([2, 3]))).toThrow(/expects 3-D inputs/);
  });
});
