import * as tf from '@tensorflow/tfjs';
import { padSequences, padSequencesArray } from './pad_sequences';

function rows(a: { data: ArrayLike<number>; shape: number[] }): number[][] {
  const [n, len] = a.shape;
  return Array.from({ length: n }, (_, i) => Array.from(a.data).slice(i * len, (i + 1) * len));
}

describe('padSequences (the examples of Keras\'s pad_sequences documentation)', () => {
  const sequence = [[1], [2, 3], [4, 5, 6]];

  it('pads before, to the longest sequence, with 0 by default', () => {
    expect(rows(padSequencesArray(sequence))).toEqual([[0, 0, 1], [0, 2, 3], [4, 5, 6]]);
  });

  it('pads with a given value', () => {
    expect(rows(padSequencesArray(sequence, { value: -1 }))).toEqual([[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]);
  });

  it('pads after with padding "post"', () => {
    expect(rows(padSequencesArray(sequence, { padding: 'post' }))).toEqual([[1, 0, 0], [2, 3, 0], [4, 5, 6]]);
  });

  it('truncates at the beginning by default when maxLen is shorter', () => {
    expect(rows(padSequencesArray(sequence, { maxLen: 2 }))).toEqual([[0, 1], [2, 3], [5, 6]]);
  });

  it('truncates at the end with truncating "post"', () => {
    expect(rows(padSequencesArray(sequence, { maxLen: 2, truncating: 'post' }))).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  it('combines post padding and post truncation', () => {
    expect(rows(padSequencesArray([[1, 2, 3, 4], [5]], { maxLen: 3, padding: 'post', truncating: 'post' }))).toEqual([
      [1, 2, 3],
      [5, 0, 0],
    ]);
  });
});

describe('padSequences details', () => {
  it('returns an int32 tensor by default and float32 when asked', () => {
    const ints = padSequences([[1, 2]], { maxLen: 3 });
    const floats = padSequences([[1.5, 2.25]], { maxLen: 3, dtype: 'float32', value: 0.5 });
    expect(ints.dtype).toBe('int32');
    expect(ints.shape).toEqual([1, 3]);
    expect(Array.from(floats.dataSync())).toEqual([0.5, 1.5, 2.25]);
    tf.dispose([ints, floats]);
  });

  it('casts values to int32 by truncation towards zero, as numpy does', () => {
    expect(Array.from(padSequencesArray([[1.7, -2.7]]).data)).toEqual([1, -2]);
  });

  it('gives empty sequences a row of padding', () => {
    expect(rows(padSequencesArray([[], [1, 2]]))).toEqual([[0, 0], [1, 2]]);
  });

  it('pads sequences of vectors with a trailing step dimension', () => {
    const out = padSequencesArray([[[1, 1]], [[2, 2], [3, 3]]]);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(Array.from(out.data)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('rejects unknown padding sides and vectors of another shape', () => {
    expect(() => padSequencesArray([[1]], { padding: 'middle' as 'pre' })).toThrow(/padding must be 'pre' or 'post'/);
    expect(() => padSequencesArray([[1]], { truncating: 'x' as 'pre' })).toThrow(/truncating/);
    expect(() => padSequencesArray([[[1, 2]], [[1, 2, 3]]])).toThrow(/expected \[2\]/);
  });

  it('handles an empty list', () => {
    expect(padSequencesArray([]).shape).toEqual([0, 0]);
  });
});
