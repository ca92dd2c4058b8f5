import * as tf from '@tensorflow/tfjs';
import { constraints, getConstraint, MaxNorm } from './index';

describe('constraints', () => {
  const w = tf.tensor2d([[3, 0.3], [4, 0.4]]); // column norms 5 and 0.5
  const colNorms = (t: tf.Tensor) => Array.from(tf.sqrt(tf.sum(tf.square(t), 0)).dataSync());

  test('maxNorm clips column norms', () => {
    const n = colNorms(constraints.maxNorm({ maxValue: 2 }).apply(w));
    expect(n[0]).toBeCloseTo(2, 5);
    expect(n[1]).toBeCloseTo(0.5, 5);
  });
  test('unitNorm, minMaxNorm, nonNeg', () => {
    colNorms(constraints.unitNorm().apply(w)).forEach((v) => expect(v).toBeCloseTo(1, 5));
    const mm = colNorms(constraints.minMaxNorm({ minValue: 1, maxValue: 3 }).apply(w));
    expect(mm[0]).toBeCloseTo(3, 5);
    expect(mm[1]).toBeCloseTo(1, 5);
    const half = colNorms(constraints.minMaxNorm({ minValue: 1, maxValue: 3, rate: 0.5 }).apply(w));
    expect(half[0]).toBeCloseTo(4, 5);
    expect(Array.from(constraints.nonNeg().apply(tf.tensor1d([-1, 2])).dataSync())).toEqual([0, 2]);
  });
  test('lookup and serialization', () => {
    expect(getConstraint('max_norm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('maxNorm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint({ className: 'MaxNorm', config: { maxValue: 3, axis: 1 } }).getConfig()).toEqual({ maxValue: 3, axis: 1 });
    expect(getConstraint('non_neg').serialize()).toEqual({ className: 'NonNeg', config: {} });
    expect(() => getConstraint('positive')).toThrow(/Unknown constraint "positive"/);
  });
});
