import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Minimum } from './minimum';

describe('Minimum', () => {
  test('elementwise minimum; a masked entry does not take part (Keras 3)', () => {
    const a = tf.tensor3d([1, -9, 3], [1, 3, 1]);
    const b = tf.tensor3d([4, 2, -5], [1, 3, 1]);
    expect((new Minimum().apply([a, b]) as Tensor).reshape([-1]).arraySync()).toEqual([1, -9, -5]);
    const m = tf.tensor2d([[1, 0, 1]]).cast('bool');
    expect((new Minimum().apply([a, b], { mask: [m, null as never] }) as Tensor).reshape([-1]).arraySync()).toEqual([1, 2, -5]);
    expect(new Minimum().computeMask([a, b], [m, null as never])).toBeNull();
  });

  test('passes the shared layer test with three inputs', () => {
    const xs = [1, 2, 3].map((seed) => tf.randomNormal([2, 6], 0, 1, 'float32', seed));
    runLayerTest({ make: () => new Minimum({ name: 'min' }), input: xs, expectedOutputShape: [2, 6], expectedOutput: tf.minimum(tf.minimum(xs[0], xs[1]), xs[2]), expectedWeights: [] });
  });
});
