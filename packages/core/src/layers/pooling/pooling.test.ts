import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { GlobalAveragePooling1D } from './global_average_pooling1d';
import { GlobalMaxPooling1D } from './global_max_pooling1d';

const x = tf.tensor3d([[[1, 10], [3, 30], [100, -5]]]); // [1, 3, 2]
const mask = tf.tensor2d([[1, 1, 0]]).cast('bool');

describe('global 1-D pooling', () => {
  test('pass the shared layer test', () => {
    const data = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const stepMask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]).cast('bool');
    runLayerTest({
      make: () => new GlobalAveragePooling1D(), input: data, expectedOutputShape: [2, 4], expectedOutput: tf.mean(data, 1),
      expectedWeights: [], supportsMasking: true, mask: { input: stepMask, expected: null },
    });
    runLayerTest({
      make: () => new GlobalAveragePooling1D({ keepdims: true, dataFormat: 'channels_first' }), input: data, expectedOutputShape: [2, 3, 1],
      unsupportedDialects: { tfjs: /data_format: .* channels_last only[\s\S]*keepdims: .* have no keepdims/ },
    });
    runLayerTest({
      make: () => new GlobalMaxPooling1D(), input: data, expectedOutputShape: [2, 4], expectedOutput: tf.max(data, 1),
      expectedWeights: [], supportsMasking: true, mask: { input: stepMask, expected: null },
    });
    runLayerTest({
      make: () => new GlobalMaxPooling1D({ keepdims: true }), input: data, expectedOutputShape: [2, 1, 4],
      unsupportedDialects: { tfjs: /keepdims: GlobalMaxPooling1D 'global_max_pooling1d(_\d+)?' cannot be written for TensorFlow.js: TensorFlow.js's global 1-D poolings have no keepdims/ },
    });
  });

  test('shapes, keepdims and channels_first', () => {
    expect((new GlobalAveragePooling1D().apply(input({ shape: [7, 4] })) as { shape: unknown }).shape).toEqual([null, 4]);
    expect(new GlobalMaxPooling1D({ keepdims: true }).computeOutputShape([null, 7, 4])).toEqual([null, 1, 4]);
    const cf = new GlobalAveragePooling1D({ dataFormat: 'channels_first' });
    expect((cf.apply(tf.tensor3d([[[1, 3], [5, 7]]])) as Tensor).arraySync()).toEqual([[2, 6]]);
    expect(() => new GlobalMaxPooling1D().apply(tf.ones([2, 3]))).toThrow(/expects \[batch, time, features\]/);
  });

  test('average: plain mean, or mean over unmasked steps; no output mask', () => {
    const avg = new GlobalAveragePooling1D();
    expect((avg.apply(x) as Tensor).arraySync()).toEqual([[104 / 3, 35 / 3].map((v) => expect.closeTo(v, 4))]);
    expect((avg.apply(x, { mask }) as Tensor).arraySync()).toEqual([[2, 20]]);
    expect(avg.computeMask()).toBeNull();
    expect(avg.supportsMasking).toBe(true);
  });

  test('max: ignores masked steps; fully masked rows give 0', () => {
    const mx = new GlobalMaxPooling1D();
    expect((mx.apply(x) as Tensor).arraySync()).toEqual([[100, 30]]);
    expect((mx.apply(x, { mask }) as Tensor).arraySync()).toEqual([[3, 30]]);
    const none = tf.tensor2d([[0, 0, 0]]).cast('bool');
    expect((mx.apply(x, { mask: none }) as Tensor).arraySync()).toEqual([[0, 0]]);
    expect((new GlobalAveragePooling1D().apply(x, { mask: none }) as Tensor).arraySync()).toEqual([[0, 0]]);
  });

  test('config round trips', () => {
    for (const layer of [new GlobalAveragePooling1D({ keepdims: true }), new GlobalMaxPooling1D({ dataFormat: 'channels_first' })]) {
      const cls = layer.constructor as typeof GlobalAveragePooling1D;
      expect(cls.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    }
    expect(() => new GlobalAveragePooling1D({ dataFormat: 'nhwc' as never })).toThrow(/GlobalAveragePooling1D: dataFormat:/);
  });
});
