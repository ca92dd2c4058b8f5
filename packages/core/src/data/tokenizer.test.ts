import * as fc from 'fast-check';
import { Tokenizer } from './tokenizer';

describe('Tokenizer (word level, Keras semantics)', () => {
  const texts = ['The cat sat on the mat.', 'The dog ate my homework!'];

  it('indexes words by decreasing count, ties in first-appearance order, from 1', () => {
    const t = new Tokenizer().fitOnTexts(texts);
    expect([...t.wordIndex.entries()]).toEqual([
      ['the', 1],
      ['cat', 2],
      ['sat', 3],
      ['on', 4],
      ['mat', 5],
      ['dog', 6],
      ['ate', 7],
      ['my', 8],
      ['homework', 9],
    ]);
    expect(t.wordCounts.get('the')).toBe(3);
    expect(t.documentCount).toBe(2);
    expect(t.vocabularySize).toBe(10);
  });

  it('filters punctuation and lower-cases by default', () => {
    expect(new Tokenizer().tokenize('Hello, World!  again')).toEqual(['hello', 'world', 'again']);
    expect(new Tokenizer({ lower: false, filters: '' }).tokenize('Hi, You')).toEqual(['Hi,', 'You']);
  });

  it('gives the OOV token index 1 and uses it for unknown words', () => {
    const t = new Tokenizer({ oovToken: '<unk>' }).fitOnTexts(texts);
    expect(t.wordIndex.get('<unk>')).toBe(1);
    expect(t.wordIndex.get('the')).toBe(2);
    expect(t.textsToSequences(['the zebra sat'])).toEqual([[2, 1, 4]]);
  });

  it('keeps only indices below numWords; drops the rest without an OOV token', () => {
    const t = new Tokenizer({ numWords: 3 }).fitOnTexts(texts);
    expect(t.textsToSequences(['the cat sat'])).toEqual([[1, 2]]);
    expect(t.vocabularySize).toBe(3);
    const withOov = new Tokenizer({ numWords: 3, oovToken: '?' }).fitOnTexts(texts);
    expect(withOov.textsToSequences(['the cat sat'])).toEqual([[2, 1, 1]]);
  });

  it('does not confuse words with object properties', () => {
    const t = new Tokenizer().fitOnTexts(['constructor __proto__ toString']);
    expect(t.textsToSequences(['constructor hasOwnProperty'])).toEqual([[1]]);
  });

  it('maps sequences back to texts, skipping padding', () => {
    const t = new Tokenizer().fitOnTexts(texts);
    expect(t.sequencesToTexts([[0, 0, 1, 2, 3]])).toEqual(['the cat sat']);
  });

  it('accepts already tokenised inputs and reserved tokens', () => {
    const t = new Tokenizer({ reservedTokens: ['<start>', '<end>'], oovToken: '<unk>' }).fitOnTexts([['AH0', 'B'], ['B']]);
    expect([...t.wordIndex.keys()]).toEqual(['<unk>', '<start>', '<end>', 'b', 'ah0']);
  });
});

describe('Tokenizer (char level)', () => {
  it('splits into characters, keeping punctuation and spaces', () => {
    const t = new Tokenizer({ level: 'char' }).fitOnTexts(['Aab, b']);
    expect(t.wordIndex.get('a')).toBe(1);
    expect(t.wordIndex.get('b')).toBe(2);
    expect(t.textsToSequences(['ab,'])).toEqual([[1, 2, t.wordIndex.get(',') as number]]);
    expect(t.sequencesToTexts([[1, 2]])).toEqual(['ab']);
  });
});

describe('Tokenizer serialisation', () => {
  it('round-trips through toJSON/fromJSON (and JSON text) with the same index and encoding', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }),
        fc.constantFrom<'char' | 'word'>('char', 'word'),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
        fc.option(fc.constantFrom('<oov>', 'x'), { nil: null }),
        (texts, level, numWords, oovToken) => {
          const t = new Tokenizer({ level, numWords, oovToken }).fitOnTexts(texts);
          const back = Tokenizer.fromJSON(JSON.stringify(t.toJSON()));
          expect([...back.wordIndex.entries()]).toEqual([...t.wordIndex.entries()]);
          expect(back.textsToSequences(texts)).toEqual(t.textsToSequences(texts));
          expect(back.vocabularySize).toBe(t.vocabularySize);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects malformed JSON objects', () => {
    expect(() => Tokenizer.fromJSON({} as never)).toThrow(/written by toJSON/);
  });
});
