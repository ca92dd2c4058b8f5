import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Average } from './average';

describe('Average', () => {
  test('elementwise mean; masks do not enter the mean but are merged (OR)', () => {
    const a = tf.tensor3d([[[1, 2], [3, 4]]]);
    const b = tf.tensor3d([[[3, 2], [5, 0]]]);
    const c = tf.tensor3d([[[2, 2], [1, 2]]]);
    expect((new Average().apply([a, b, c]) as Tensor).arraySync()).toEqual([[[2, 2], [3, 2]]]);
    const m = tf.tensor2d([[1, 0]]).cast('bool');
    expect((new Average().apply([a, b], { mask: [m, m] }) as Tensor).arraySync()).toEqual([[[2, 2], [4, 2]]]);
    expect((new Average().computeMask([a, b], [m, tf.tensor2d([[0, 0]]).cast('bool')]) as Tensor).arraySync()).toEqual([[1, 0]]);
  });

  test('passes the shared layer test', () => {
    const xs = [1, 2].map((seed) => tf.randomNormal([2, 5], 0, 1, 'float32', seed));
    runLayerTest({ make: () => new Average({ name: 'mean' }), input: xs, expectedOutputShape: [2, 5], expectedOutput: tf.div(tf.add(xs[0], xs[1]), 2), expectedWeights: [] });
  });
});
