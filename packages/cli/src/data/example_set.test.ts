import * as tf from '@tensorflow/tfjs';
import { numericArray } from '@recurrent/core';
import { batchTensors, exampleSet, oneHotTensor, selectExamples } from './example_set';

describe('example sets', () => {
  const ids = numericArray('int32', [3, 2]);
  ids.data.set([1, 2, 0, 1, 2, 2]);
  const labels = numericArray('int32', [3]);
  labels.data.set([0, 1, 2]);

  it('one-hot encodes inputs per batch with padding as zeros, and labels with class 0 kept', () => {
    const set = exampleSet([{ array: ids, oneHot: { depth: 3, zeroForPadding: true } }], [{ array: labels, oneHot: { depth: 3, zeroForPadding: false } }]);
    const before = tf.memory().numTensors;
    const { xs, ys } = batchTensors(set, [1, 0]);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(xs[0].shape).toEqual([2, 2, 3]);
    expect(Array.from(xs[0].dataSync())).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(ys[0].dataSync())).toEqual([0, 1, 0, 1, 0, 0]);
    tf.dispose([...xs, ...ys]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('selects rows and rejects ids outside the vocabulary', () => {
    const set = exampleSet([{ array: ids }], [{ array: labels }]);
    expect(Array.from(selectExamples(set, [2]).targets[0].array.data)).toEqual([2]);
    expect(() => oneHotTensor(ids, 2, true)).toThrow(/id 2 at position \d+ is outside \[0, 2\)/);
  });

  it('gives binary targets as float32', () => {
    const set = exampleSet([{ array: ids }], [{ array: { ...labels, shape: [3, 1] }, asFloat: true }]);
    const { xs, ys } = batchTensors(set, [0, 1, 2]);
    expect(ys[0].dtype).toBe('float32');
    expect(ys[0].shape).toEqual([3, 1]);
    tf.dispose([...xs, ...ys]);
  });
});
