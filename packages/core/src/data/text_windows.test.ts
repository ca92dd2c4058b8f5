import * as fc from 'fast-check';
import { countTextWindows, textWindows } from './text_windows';

describe('textWindows', () => {
  const ids = [1, 2, 3, 4, 5, 6, 7];

  it('pairs each window with the next token', () => {
    const { x, y } = textWindows(ids, { seqLength: 3, step: 2 });
    expect(x.shape).toEqual([2, 3]);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 3, 4, 5]);
    expect(Array.from(y.data)).toEqual([4, 6]);
  });

  it('gives shifted targets for many-to-many training', () => {
    const { x, y } = textWindows(ids, { seqLength: 3, step: 3, target: 'shifted' });
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(y.data)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('one-hot encodes the inputs when asked', () => {
    const { x } = textWindows([0, 1, 2], { seqLength: 2, encoding: 'oneHot', vocabularySize: 3 });
    expect(x.shape).toEqual([1, 2, 3]);
    expect(Array.from(x.data)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(() => textWindows([0, 1, 2], { seqLength: 2, encoding: 'oneHot' })).toThrow(/vocabularySize/);
  });

  it('counts one window per start i with i + seqLength < length (the char-RNN loop)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 7 }), (length, seqLength, step) => {
        let expected = 0;
        for (let i = 0; i + seqLength < length; i += step) expected++;
        expect(countTextWindows(length, seqLength, step)).toBe(expected);
        expect(textWindows(new Array(length).fill(1), { seqLength, step }).x.shape[0]).toBe(expected);
      }),
    );
  });

  it('refuses one-hot arrays too large for memory, naming the fix', () => {
    expect(() => textWindows(new Int32Array(200000), { seqLength: 100, encoding: 'oneHot', vocabularySize: 100 })).toThrow(/use encoding "ids"/);
  });
});
