import * as tf from '@tensorflow/tfjs';
import { getRegularizer, L1L2, L2, regularizers } from './index';

describe('regularizers', () => {
  const w = tf.tensor1d([1, -2, 3]);
  test('penalties follow Keras 3 (no 1/2 factor)', () => {
    expect(regularizers.l1({ l1: 0.1 }).apply(w).dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(regularizers.l2({ l2: 0.1 }).apply(w).dataSync()[0]).toBeCloseTo(1.4, 6);
    expect(regularizers.l1l2({ l1: 0.1, l2: 0.1 }).apply(w).dataSync()[0]).toBeCloseTo(2.0, 6);
    expect(new L2().l2).toBe(0.01);
  });
  test('lookup and serialization', () => {
    expect(getRegularizer('l1_l2')).toBeInstanceOf(L1L2);
    expect(getRegularizer({ className: 'L2', config: { l2: 0.5 } }).getConfig()).toEqual({ l2: 0.5 });
    expect(regularizers.l1l2({ l1: 1, l2: 2 }).serialize()).toEqual({ className: 'L1L2', config: { l1: 1, l2: 2 } });
    expect(() => getRegularizer('l3')).toThrow(/Unknown regularizer "l3"/);
    expect(() => regularizers.l2({ l2: -1 })).toThrow(/l2: expected a non-negative number/);
  });
});
