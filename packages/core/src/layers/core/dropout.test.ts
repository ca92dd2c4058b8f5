import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../../engine/random';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Dropout } from './dropout';
import { SpatialDropout1D } from './spatial_dropout1d';

describe('Dropout and SpatialDropout1D', () => {
  afterEach(() => setSeed(null));

  test('pass the shared layer test (in training mode too)', () => {
    const makers = [() => new Dropout({ rate: 0.3, noiseShape: [null, 1, 4], seed: 5 }), () => new SpatialDropout1D({ rate: 0.5, seed: 2 })];
    for (const make of makers) {
      for (const training of [false, true]) {
        runLayerTest({
          make,
          input: tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1),
          training,
          expectedOutputShape: [2, 3, 4],
          expectedWeights: [],
          supportsMasking: true,
          mask: { input: tf.tensor2d([[1, 0, 1], [1, 1, 0]]), expected: 'input' },
          // Each training call draws a new mask: the gradients are checked where the layer is deterministic.
          gradientCheck: { training: false },
        });
      }
    }
  });

  test('identity when not training', () => {
    const x = tf.ones([4, 5]);
    expect(new Dropout({ rate: 0.5 }).apply(x)).toBe(x);
    expect(new Dropout({ rate: 0.5 }).apply(x, { training: false })).toBe(x);
  });

  test('in training, drops about `rate` and rescales the rest', () => {
    const y = new Dropout({ rate: 0.25, seed: 1 }).apply(tf.ones([100, 100]), { training: true }) as Tensor;
    const values = Array.from(y.dataSync());
    const zeros = values.filter((v) => v === 0).length / values.length;
    expect(zeros).toBeGreaterThan(0.2);
    expect(zeros).toBeLessThan(0.3);
    values.filter((v) => v !== 0).forEach((v) => expect(v).toBeCloseTo(1 / 0.75, 5));
  });

  test('masks differ between calls but are reproducible with a seed', () => {
    const run = () => {
      const d = new Dropout({ rate: 0.5, seed: 7 });
      const a = (d.apply(tf.ones([1, 50]), { training: true }) as Tensor).dataSync();
      const b = (d.apply(tf.ones([1, 50]), { training: true }) as Tensor).dataSync();
      return [Array.from(a), Array.from(b)];
    };
    const [a1, b1] = run();
    const [a2, b2] = run();
    expect(a1).toEqual(a2);
    expect(b1).toEqual(b2);
    expect(a1).not.toEqual(b1);
  });

  test('noiseShape shares the mask along axes of size 1', () => {
    const y = (new Dropout({ rate: 0.5, noiseShape: [null, 1, 6], seed: 3 }).apply(tf.ones([2, 4, 6]), { training: true }) as Tensor).arraySync() as number[][][];
    for (const sample of y) for (const step of sample) expect(step).toEqual(sample[0]);
  });

  test('SpatialDropout1D drops whole channels for every step', () => {
    const d = new SpatialDropout1D({ rate: 0.5, seed: 2 });
    const y = (d.apply(tf.ones([3, 5, 8]), { training: true }) as Tensor).arraySync() as number[][][];
    for (const sample of y) for (const step of sample) expect(step).toEqual(sample[0]);
    expect(() => d.maybeBuild([null, 4])).not.toThrow(); // already built
    expect(() => new SpatialDropout1D({ rate: 0.1 }).apply(tf.ones([2, 3]))).toThrow(/expects \[batch, time, features\]/);
  });

  test('argument errors and config round trips', () => {
    expect(() => new Dropout({ rate: 1 })).toThrow('Dropout: rate: expected a number in [0, 1), got 1');
    expect(() => new SpatialDropout1D({ rate: -0.1 })).toThrow('SpatialDropout1D: rate: expected a number in [0, 1), got -0.1');
    const d = new Dropout({ rate: 0.3, noiseShape: [null, 1], seed: 5 });
    expect(Dropout.fromConfig(d.getConfig()).getConfig()).toEqual(d.getConfig());
    const s = new SpatialDropout1D({ rate: 0.2 });
    expect(s.getConfig()).not.toHaveProperty('noiseShape');
    expect(SpatialDropout1D.fromConfig(s.getConfig()).getConfig()).toEqual(s.getConfig());
  });
});
