import * as tf from '@tensorflow/tfjs';
import { didYouMean, editDistance, nearestName } from './nearest_name';
import { numericArray, oneHotArray, sliceRows, takeRows, toTensor } from './numeric_array';

describe('numeric arrays', () => {
  const a = numericArray('int32', [3, 2]);
  a.data.set([1, 2, 3, 4, 5, 6]);

  it('takes and slices rows', () => {
    expect(Array.from(takeRows(a, [2, 0]).data)).toEqual([5, 6, 1, 2]);
    expect(sliceRows(a, 1, 3).shape).toEqual([2, 2]);
    expect(() => takeRows(a, [3])).toThrow(/outside \[0, 3\)/);
  });

  it('takes long rows (copied as blocks) and single values alike', () => {
    const wide = numericArray('float32', [3, 70]);
    wide.data.forEach((_, i) => (wide.data[i] = i * 0.5));
    const taken = takeRows(wide, [1, 1, 2]);
    expect(taken.shape).toEqual([3, 70]);
    expect(Array.from(taken.data)).toEqual([...wide.data.slice(70, 140), ...wide.data.slice(70, 140), ...wide.data.slice(140)]);
    const column = numericArray('int32', [4]);
    column.data.set([7, 8, 9, 10]);
    expect(Array.from(takeRows(column, [3, 0]).data)).toEqual([10, 7]);
  });

  it('one-hot encodes ids and converts to tensors without leaks', () => {
    const ids = numericArray('int32', [2]);
    ids.data.set([1, 0]);
    expect(Array.from(oneHotArray(ids, 2).data)).toEqual([0, 1, 1, 0]);
    const before = tf.memory().numTensors;
    const t = toTensor(a);
    expect(t.shape).toEqual([3, 2]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('nearest names', () => {
  it('measures edit distance and suggests only plausible names', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearestName('birth', ['year', 'births'])).toBe('births');
    expect(nearestName('zzzzzz', ['year', 'births'])).toBeUndefined();
    expect(didYouMean('Label', ['label'])).toBe(" (did you mean 'label'?)");
  });
});
