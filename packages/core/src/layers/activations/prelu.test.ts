import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { PReLU } from './prelu';

describe('PReLU', () => {
  test('relu(x) - alpha * relu(-x) with one slope per feature (hand-computed)', () => {
    const layer = new PReLU();
    layer.maybeBuild([null, 2]);
    layer.setWeights([tf.tensor1d([0.1, 2])]);
    expect(Array.from((layer.apply(tf.tensor2d([[-3, -3], [4, 4]])) as Tensor).dataSync())).toEqual([-0.3, -6, 4, 4].map((v) => expect.closeTo(v, 6)));
  });

  test('alpha starts at zeros (a relu); sharedAxes share a slope along those axes', () => {
    const layer = new PReLU({ sharedAxes: [1] });
    expect((layer.apply(input({ shape: [null, 3] })) as { shape: unknown }).shape).toEqual([null, null, 3]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[1, 3]]);
    expect(Array.from((layer.apply(tf.tensor3d([[[-1, 2, -3]]])) as Tensor).dataSync())).toEqual([0, 2, 0].map((v) => expect.closeTo(v, 9)));
    expect(new PReLU({ sharedAxes: 2 }).sharedAxes).toEqual([2]);
  });

  test('passes the shared layer test, a slope per entry or shared along the steps', () => {
    const alphaInitializer = { className: 'RandomUniform', config: { minval: 0.1, maxval: 0.5, seed: 3 } };
    runLayerTest({
      make: () => new PReLU({ alphaInitializer, name: 'prelu' }), input: tf.randomNormal([2, 3, 2], 0, 1, 'float32', 1), expectedOutputShape: [2, 3, 2],
      expectedWeights: ['alpha'], supportsMasking: true, mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' },
    });
    runLayerTest({
      make: () => new PReLU({ sharedAxes: [1], alphaInitializer, alphaRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } }, name: 'prelu' }),
      input: tf.randomNormal([2, 4, 2], 0, 1, 'float32', 2), expectedOutputShape: [2, 4, 2], expectedWeights: ['alpha'],
    });
  });

  test('unknown axes must be shared', () => {
    expect(() => new PReLU().apply(input({ shape: [null, 3] }))).toThrow(/every axis of \(None, None, 3\) not in sharedAxes needs a known size/);
    expect(() => new PReLU({ sharedAxes: [3] }).apply(input({ shape: [2, 3] }))).toThrow(/sharedAxes \[3\] reach past the input/);
  });
});
