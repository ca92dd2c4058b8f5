import * as tf from '@tensorflow/tfjs';
import { modelToJSON } from '../../config/model_to_json';
import type { Layer } from '../../engine/layer';
import { resetNameCounters } from '../../engine/names';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { runLayerTest } from '../../testing';
import { AveragePooling1D } from './average_pooling1d';
import { MaxPooling1D } from './max_pooling1d';

// Keras's documented examples: x = [1, 2, 3, 4, 5] as [1, 5, 1], pool_size 2.
const x = tf.tensor3d([1, 2, 3, 4, 5], [1, 5, 1]);
const pooled = (layer: MaxPooling1D | AveragePooling1D, input: Tensor = x) => (layer.apply(input) as Tensor).reshape([-1]).arraySync();

describe('MaxPooling1D and AveragePooling1D', () => {
  beforeEach(() => resetNameCounters());

  test("Keras's examples: strides 1 and 2 with 'valid', strides 1 with 'same'", () => {
    expect(pooled(new MaxPooling1D({ poolSize: 2, strides: 1 }))).toEqual([2, 3, 4, 5]);
    expect(pooled(new MaxPooling1D({ poolSize: 2, strides: 2 }))).toEqual([2, 4]);
    expect(pooled(new MaxPooling1D({ poolSize: 2, strides: 1, padding: 'same' }))).toEqual([2, 3, 4, 5, 5]);
    expect(pooled(new AveragePooling1D({ poolSize: 2, strides: 1 }))).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(pooled(new AveragePooling1D({ poolSize: 2, strides: 2 }))).toEqual([1.5, 3.5]);
    // The padding step after the sequence is not counted in the last window's mean (TensorFlow).
    expect(pooled(new AveragePooling1D({ poolSize: 2, strides: 1, padding: 'same' }))).toEqual([1.5, 2.5, 3.5, 4.5, 5]);
  });

  test('strides default to the pool size; padding is split as TensorFlow splits it', () => {
    expect(pooled(new MaxPooling1D({ poolSize: 2 }))).toEqual([2, 4]);
    expect(new MaxPooling1D({ poolSize: 3 }).strides).toBe(3);
    // length 5, pool 4, stride 2, 'same': 3 windows, 3 padding steps, 1 before and 2 after.
    expect(pooled(new AveragePooling1D({ poolSize: 4, strides: 2, padding: 'same' }))).toEqual([2, 3.5, 4.5]);
    expect(pooled(new MaxPooling1D({ poolSize: 4, strides: 2, padding: 'same' }), tf.tensor3d([1, 2, 9, 1, 0], [1, 5, 1]))).toEqual([9, 9, 1]);
  });

  test('match tfjs maxPool/avgPool on random data (forward)', () => {
    const data = tf.randomNormal([3, 11, 4], 0, 1, 'float32', 3);
    for (const [poolSize, strides, padding] of [[2, 2, 'valid'], [3, 1, 'same'], [3, 2, 'same'], [4, 3, 'valid'], [3, 3, 'same'], [2, 3, 'valid'], [2, 3, 'same'], [4, 4, 'same']] as const) {
      const as4d = data.expandDims(2) as tf.Tensor4D;
      const max = tf.maxPool(as4d, [poolSize, 1], [strides, 1], padding).squeeze([2]);
      const avg = tf.avgPool(as4d, [poolSize, 1], [strides, 1], padding).squeeze([2]);
      const ours = [new MaxPooling1D({ poolSize, strides, padding }).apply(data), new AveragePooling1D({ poolSize, strides, padding }).apply(data)] as Tensor[];
      expect(tf.max(tf.abs(tf.sub(ours[0], max))).dataSync()[0]).toBeLessThan(1e-6);
      expect(tf.max(tf.abs(tf.sub(ours[1], avg))).dataSync()[0]).toBeLessThan(1e-6);
      tf.dispose([as4d, max, avg, ...ours]);
    }
    data.dispose();
  });

  test('a tie sends the gradient to the first maximum of the window (TensorFlow)', () => {
    const g = tf.grad((t: Tensor) => tf.sum(new MaxPooling1D({ poolSize: 2, strides: 1 }).apply(t) as Tensor))(tf.tensor3d([3, 3, 1], [1, 3, 1]));
    expect(g.reshape([-1]).arraySync()).toEqual([1, 1, 0]);
    const h = tf.grad((t: Tensor) => tf.sum(new MaxPooling1D({ poolSize: 3, strides: 3 }).apply(t) as Tensor))(tf.tensor3d([2, 2, 2], [1, 3, 1]));
    expect(h.reshape([-1]).arraySync()).toEqual([1, 0, 0]);
  });

  test('channels_first pools the last axis', () => {
    const cf = new MaxPooling1D({ poolSize: 2, dataFormat: 'channels_first' });
    expect((cf.apply(tf.tensor3d([[[1, 5, 2, 0], [7, 3, 3, 9]]])) as Tensor).arraySync()).toEqual([[[5, 2], [7, 9]]]);
    expect(cf.computeOutputShape([null, 2, 4])).toEqual([null, 2, 2]);
  });

  test('pass the shared layer test: valid and same, strided and overlapping; channels_first in Keras 3 only', () => {
    // Distinct values one unit apart keep every window's maximum away from a tie under the finite-difference step.
    const spread = tf.tensor3d(Array.from({ length: 2 * 9 * 3 }, (_, i) => ((i * 37) % 54) - 27), [2, 9, 3]);
    const steps = tf.tensor2d([[1, 1, 0, 1, 1, 1, 0, 1, 1], [1, 0, 1, 1, 0, 1, 1, 1, 0]]).cast('bool');
    for (const [make, out] of [
      [() => new MaxPooling1D({ poolSize: 3, name: 'pool' }), [2, 3, 3]],
      [() => new MaxPooling1D({ poolSize: 2, strides: 1, padding: 'same', name: 'pool' }), [2, 9, 3]],
      [() => new AveragePooling1D({ poolSize: 4, strides: 2, name: 'pool' }), [2, 3, 3]],
      [() => new AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same', name: 'pool' }), [2, 5, 3]],
    ] as const) {
      runLayerTest<Layer>({ make, input: spread, expectedOutputShape: [...out], expectedWeights: [], mask: { input: steps, expected: null } });
    }
    runLayerTest({
      make: () => new AveragePooling1D({ poolSize: 2, dataFormat: 'channels_first', name: 'first' }), input: tf.randomNormal([2, 3, 6], 0, 1, 'float32', 4),
      expectedOutputShape: [2, 3, 3], unsupportedDialects: { tfjs: /data_format: AveragePooling1D 'first' cannot be written for TensorFlow.js: TensorFlow.js's 1-D poolings are channels_last only/ },
    });
  });

  test('the tfjs dialect refuses channels_first; shape and argument errors are clear', () => {
    const m = new Sequential({ layers: [new MaxPooling1D({ dataFormat: 'channels_first', name: 'p', inputShape: [3, 6] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/data_format: MaxPooling1D 'p' cannot be written for TensorFlow.js/);
    expect(() => new MaxPooling1D({ poolSize: 4 }).apply(tf.ones([1, 3, 2]))).toThrow(/has 3 steps, fewer than the 4 one window covers/);
    expect(() => new MaxPooling1D().apply(tf.ones([1, 3]))).toThrow(/expects inputs \[batch, steps, channels\]/);
    expect(() => new AveragePooling1D({ padding: 'causal' as never })).toThrow(/AveragePooling1D: padding: expected "valid" or "same", got "causal"/);
  });
});
