import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { GaussianDropout } from './gaussian_dropout';

describe('GaussianDropout', () => {
  test('training multiplies by noise of mean 1 and standard deviation sqrt(rate / (1 - rate)); inference is the identity', () => {
    const x = tf.fill([200, 50], 2);
    const layer = new GaussianDropout({ rate: 0.2, seed: 3 });
    expect(layer.apply(x)).toBe(x);
    const noise = tf.div(layer.apply(x, { training: true }) as Tensor, x);
    const { mean, variance } = tf.moments(noise);
    expect(mean.dataSync()[0]).toBeCloseTo(1, 1);
    expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(Math.sqrt(0.2 / 0.8), 1);
  });

  test('the gradient is the noise itself (the same seed draws the same noise)', () => {
    const x = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
    const y = new GaussianDropout({ rate: 0.5, seed: 9 }).apply(x, { training: true }) as Tensor;
    const g = tf.grad((t: Tensor) => tf.sum(new GaussianDropout({ rate: 0.5, seed: 9 }).apply(t, { training: true }) as Tensor))(x);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(y.dataSync()[i] / x.dataSync()[i], 5));
  });

  test('passes the shared layer test, in inference and in training; rate 1 is refused', () => {
    for (const training of [false, true]) {
      runLayerTest({
        make: () => new GaussianDropout({ rate: 0.4, name: 'gd' }), input: tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1), training,
        expectedOutputShape: [2, 3, 4], expectedWeights: [], supportsMasking: true, mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' },
        // Each training call draws new noise: the gradients are checked where the layer is deterministic.
        gradientCheck: { training: false },
      });
    }
    expect(() => new GaussianDropout({ rate: 1 })).toThrow(/GaussianDropout: rate: expected a number in \[0, 1\), got 1/);
  });
});
