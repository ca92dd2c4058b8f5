import * as tf from '@tensorflow/tfjs';
import { Huber, MeanAbsoluteError, MeanSquaredError, huber, meanAbsoluteError, meanSquaredError } from './regression';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('regression losses', () => {
  const yTrue = tf.tensor2d([[0, 1], [0, 0]]);

  it('mse and mae average over the last axis', () => {
    const yPred = tf.tensor2d([[1, 1], [1, 0]]);
    expect(values(meanSquaredError(yTrue, yPred))).toEqual([0.5, 0.5]);
    expect(values(meanAbsoluteError(yTrue, tf.tensor2d([[2, 1], [0, -1]])))).toEqual([1, 0.5]);
    expect(new MeanSquaredError().compute(yTrue, tf.tensor2d([[3, 1], [0, 1]])).dataSync()[0]).toBeCloseTo((4.5 + 0.5) / 2, 6);
    expect(new MeanAbsoluteError().compute(yTrue, yPred).dataSync()[0]).toBeCloseTo(0.5, 6);
  });

  it('huber is quadratic inside delta and linear outside (Keras docstring: 0.155)', () => {
    const yPred = tf.tensor2d([[0.6, 0.4], [0.4, 0.6]]);
    expect(new Huber().compute(yTrue, yPred).dataSync()[0]).toBeCloseTo(0.155, 6);
    // delta 0.5: |e| = 0.6 -> 0.5*0.6 - 0.125 = 0.175; |e| = 0.4 -> 0.08.
    const v = values(huber(yTrue, yPred, 0.5));
    expect(v[0]).toBeCloseTo(0.175, 6);
    expect(v[1]).toBeCloseTo((0.08 + 0.175) / 2, 6);
  });

  it('expands [B] targets against [B, 1] predictions and rejects mismatches', () => {
    expect(values(meanSquaredError(tf.tensor1d([1, 2]), tf.tensor2d([[0], [0]])))).toEqual([1, 4]);
    expect(() => meanSquaredError(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[0, 0]]))).toThrow(/do not match/);
  });
});
