import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { GaussianNoise } from './gaussian_noise';

describe('GaussianNoise', () => {
  test('training adds noise of the given standard deviation and mean 0; inference is the identity', () => {
    const x = tf.fill([200, 50], 3);
    const layer = new GaussianNoise({ stddev: 0.5, seed: 1 });
    expect(layer.apply(x)).toBe(x);
    const y = layer.apply(x, { training: true }) as Tensor;
    const { mean, variance } = tf.moments(tf.sub(y, x));
    expect(mean.dataSync()[0]).toBeCloseTo(0, 1);
    expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(0.5, 1);
    // A new draw each call; the same stream for the same seed.
    const again = layer.apply(x, { training: true }) as Tensor;
    expect(tf.max(tf.abs(tf.sub(again, y))).dataSync()[0]).toBeGreaterThan(0);
    const twin = new GaussianNoise({ stddev: 0.5, seed: 1 }).apply(x, { training: true }) as Tensor;
    expect(Array.from(twin.dataSync())).toEqual(Array.from(y.dataSync()));
  });

  test('the gradient of x + noise is 1; stddev 0 adds nothing; the mask passes through', () => {
    const g = tf.grad((t: Tensor) => tf.sum(new GaussianNoise({ stddev: 1, seed: 2 }).apply(t, { training: true }) as Tensor))(tf.ones([2, 3]));
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    const x = tf.ones([2, 3]);
    expect(new GaussianNoise({ stddev: 0 }).apply(x, { training: true })).toBe(x);
    const m = tf.tensor2d([[1, 0]]).cast('bool');
    expect(new GaussianNoise({ stddev: 1 }).computeMask(x, m)).toBe(m);
  });

  test('passes the shared layer test, in inference and in training; a negative stddev is refused', () => {
    for (const training of [false, true]) {
      runLayerTest({
        make: () => new GaussianNoise({ stddev: 0.3, seed: 5, name: 'noise' }), input: tf.randomNormal([2, 3, 2], 0, 1, 'float32', 1), training,
        expectedOutputShape: [2, 3, 2], expectedWeights: [], supportsMasking: true, mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' },
        // Each training call draws new noise: the gradients are checked where the layer is deterministic.
        gradientCheck: { training: false },
      });
    }
    expect(() => new GaussianNoise({ stddev: -1 })).toThrow(/GaussianNoise: stddev: expected a number >= 0, got -1/);
  });
});
