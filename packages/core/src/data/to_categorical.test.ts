import * as tf from '@tensorflow/tfjs';
import { toCategorical } from './to_categorical';

describe('toCategorical', () => {
  it('one-hot encodes labels with numClasses = max + 1 by default', () => {
    const t = toCategorical([0, 2, 1]);
    expect(t.shape).toEqual([3, 3]);
    expect(Array.from(t.dataSync())).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    t.dispose();
  });

  it('drops a trailing dimension of 1 (Keras) and keeps other dimensions', () => {
    const column = toCategorical([[1], [0]], 2);
    expect(column.shape).toEqual([2, 2]);
    const sequences = toCategorical([[1, 0, 2]], 4);
    expect(sequences.shape).toEqual([1, 3, 4]);
    tf.dispose([column, sequences]);
  });

  it('accepts tensors and does not leak', () => {
    const labels = tf.tensor1d([1, 0], 'int32');
    const before = tf.memory().numTensors;
    const t = toCategorical(labels, 2);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([labels, t]);
  });

  it('rejects labels outside the classes', () => {
    expect(() => toCategorical([0, 3], 3)).toThrow(/label 3 at position 1 is >= numClasses \(3\)/);
    expect(() => toCategorical([-1])).toThrow(/non-negative integer/);
    expect(() => toCategorical([0.5])).toThrow(/non-negative integer/);
  });
});
