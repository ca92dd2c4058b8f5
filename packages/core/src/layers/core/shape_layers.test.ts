import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Activation } from './activation';
import { Flatten } from './flatten';
import { RepeatVector } from './repeat_vector';
import { Reshape } from './reshape';

const shapeOf = (t: unknown) => (t as { shape: unknown }).shape;

describe('Activation, Flatten, Reshape, RepeatVector', () => {
  test('pass the shared layer test', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const mask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]);
    runLayerTest({
      make: () => new Activation({ activation: 'relu' }), input: x, expectedOutputShape: [2, 3, 4], expectedOutput: tf.relu(x),
      expectedWeights: [], supportsMasking: true, mask: { input: mask, expected: 'input' },
    });
    runLayerTest({ make: () => new Flatten(), input: x, expectedOutputShape: [2, 12], expectedWeights: [], mask: { input: mask, expected: null } });
    runLayerTest({ make: () => new Flatten({ dataFormat: 'channels_first' }), input: x, expectedOutputShape: [2, 12], expectedWeights: [] });
    runLayerTest({ make: () => new Reshape({ targetShape: [-1, 2] }), input: x, expectedOutputShape: [2, 6, 2], expectedWeights: [] });
    runLayerTest({
      make: () => new RepeatVector({ n: 3 }), input: tf.tensor2d([[1, 2], [3, 4]]), expectedOutputShape: [2, 3, 2],
      expectedOutput: tf.tensor3d([[[1, 2], [1, 2], [1, 2]], [[3, 4], [3, 4], [3, 4]]]), expectedWeights: [],
    });
  });

  test('Activation', () => {
    const a = new Activation({ activation: 'relu' });
    expect(Array.from((a.apply(tf.tensor1d([-1, 2])) as Tensor).dataSync())).toEqual([0, 2]);
    expect(a.supportsMasking).toBe(true);
    expect(Activation.fromConfig(a.getConfig()).getConfig()).toEqual(a.getConfig());
    expect(() => new Activation({} as never)).toThrow('Activation: activation: required');
  });

  test('Flatten', () => {
    const f = new Flatten();
    expect(shapeOf(f.apply(input({ shape: [3, 4] })))).toEqual([null, 12]);
    expect(f.computeOutputShape([null, null, 4])).toEqual([null, null]);
    expect((f.apply(tf.ones([2, 3, 4])) as Tensor).shape).toEqual([2, 12]);
    const cf = new Flatten({ dataFormat: 'channels_first' });
    expect((cf.apply(tf.tensor3d([[[1, 2], [3, 4], [5, 6]]])) as Tensor).arraySync()).toEqual([[1, 3, 5, 2, 4, 6]]);
    expect(Flatten.fromConfig(cf.getConfig()).getConfig()).toEqual(cf.getConfig());
  });

  test('Reshape with an inferred dimension', () => {
    const r = new Reshape({ targetShape: [-1, 2] });
    expect(shapeOf(r.apply(input({ shape: [3, 4] })))).toEqual([null, 6, 2]);
    expect((r.apply(tf.ones([5, 12])) as Tensor).shape).toEqual([5, 6, 2]);
    expect(r.computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
    expect(() => new Reshape({ targetShape: [5] }).apply(tf.ones([1, 6]))).toThrow(/cannot reshape samples of shape \(6,\) \(6 values\) to \[5\]/);
    expect(() => new Reshape({ targetShape: [-1, -1] })).toThrow(/targetShape: at most one dimension may be -1/);
    expect(Reshape.fromConfig(r.getConfig()).getConfig()).toEqual(r.getConfig());
  });

  test('RepeatVector', () => {
    const rv = new RepeatVector({ n: 3 });
    expect(shapeOf(rv.apply(input({ shape: [2] })))).toEqual([null, 3, 2]);
    expect((rv.apply(tf.tensor2d([[1, 2]])) as Tensor).arraySync()).toEqual([[[1, 2], [1, 2], [1, 2]]]);
    expect(() => new RepeatVector({ n: 2 }).apply(input({ shape: [2, 2] }))).toThrow(/expects \[batch, features\]/);
    expect(RepeatVector.fromConfig(rv.getConfig()).getConfig()).toEqual(rv.getConfig());
  });
});
