import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { firstWords, ngrams, splitText, standardizeText } from './text_processing';
import { TextVectorization } from './text_vectorization';

const run = (layer: TextVectorization, data: string[] | string[][]) => (layer.apply(tf.tensor(data)) as Tensor).arraySync();

describe('TextVectorization', () => {
  beforeEach(() => resetNameCounters());

  test('passes the shared layer test: int sequences of a fixed length, and count vectors', () => {
    const texts = tf.tensor([['The cat sat.'], ['A dog! A cat?']]);
    runLayerTest({
      make: () => new TextVectorization({ vocabulary: ['a', 'cat', 'the', 'sat'], outputSequenceLength: 5 }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no TextVectorization layer/ },
      input: texts,
      expectedOutputShape: [2, 5],
      expectedOutput: tf.tensor2d([[4, 3, 5, 0, 0], [2, 1, 2, 3, 0]], [2, 5], 'int32'),
      expectedWeights: [],
    });
    runLayerTest({
      make: () => new TextVectorization({ vocabulary: ['a', 'cat'], outputMode: 'count', name: 'counts' }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no TextVectorization layer/ },
      input: tf.tensor(['The cat sat.', 'A dog! A cat?']),
      expectedOutput: tf.tensor2d([[2, 0, 1], [1, 2, 1]]),
    });
  });

  test("Keras's documented example: adapt on three strings, then pad to 4 tokens", () => {
    const layer = new TextVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
    layer.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    expect(run(layer, [['foo qux bar'], ['qux baz']])).toEqual([[4, 1, 3, 0], [1, 2, 0, 0]]);
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
  });

  test("Keras's documented example: a given vocabulary gets the padding and OOV tokens in front", () => {
    const layer = new TextVectorization({ maxTokens: 5000, outputSequenceLength: 4, vocabulary: ['earth', 'wind', 'and', 'fire'] });
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'earth', 'wind', 'and', 'fire']);
    expect(layer.vocabularySize()).toBe(6);
    // Cut to the first 4 tokens; without outputSequenceLength, padded to the batch's longest.
    expect(run(layer, ['Earth, wind and fire and rain'])).toEqual([[2, 3, 4, 5]]);
    expect(run(new TextVectorization({ vocabulary: ['earth', 'wind'] }), ['wind', 'earth wind x'])).toEqual([[3, 0, 0], [2, 3, 1]]);
  });

  test('standardization, splitting and n-grams as TensorFlow does them', () => {
    expect(standardizeText("Don't STOP, é-É!", 'lower_and_strip_punctuation')).toBe('dont stop éÉ');
    expect(standardizeText('A.b', 'lower')).toBe('a.b');
    expect(standardizeText('A.b', 'strip_punctuation')).toBe('Ab');
    expect(standardizeText('A.b', null)).toBe('A.b');
    expect(splitText('  two\tspaces\n here ', 'whitespace')).toEqual(['two', 'spaces', 'here']);
    expect(splitText('añ😀', 'character')).toEqual(['a', 'ñ', '😀']);
    expect(splitText('keep it', null)).toEqual(['keep it']);
    expect(ngrams(['the', 'cat', 'sat'], [1, 2])).toEqual(['the', 'cat', 'sat', 'the cat', 'cat sat']);
    // The first words of a long text, read token by token, are those of the whole text standardized and split.
    const text = ' Re: "FREE" offer!!\t-- see  http://x.example/a?b=1 , \n\nbye... -- ' + 'more words here '.repeat(50);
    for (const mode of ['lower_and_strip_punctuation', 'lower', 'strip_punctuation', null] as const) {
      const all = splitText(standardizeText(text, mode), 'whitespace');
      for (const limit of [0, 1, 3, 7, 500]) expect(firstWords(text, mode, limit)).toEqual(all.slice(0, limit));
    }
    expect(ngrams(['the', 'cat'], [3])).toEqual([]);
    const layer = new TextVectorization({ ngrams: 2, split: 'whitespace' });
    expect(layer.tokenize('The cat sat')).toEqual(['the', 'cat', 'sat', 'the cat', 'cat sat']);
    expect(new TextVectorization({ split: 'character', standardize: null }).tokenize('Ab')).toEqual(['A', 'b']);
  });

  test('multi_hot, count and tf_idf outputs of adapted layers', () => {
    const docs = ['red red blue', 'blue green', 'red'];
    const multi = new TextVectorization({ outputMode: 'multi_hot' });
    multi.adapt(docs);
    expect(multi.getVocabulary()).toEqual(['[UNK]', 'red', 'blue', 'green']);
    expect(run(multi, ['green red red pink'])).toEqual([[1, 1, 0, 1]]);
    const tfIdf = new TextVectorization({ outputMode: 'tf_idf', maxTokens: 6, padToMaxTokens: true });
    tfIdf.adapt(docs);
    const idf = (documents: number) => Math.log(1 + 3 / (1 + documents));
    const average = (idf(2) + idf(2) + idf(1)) / 3;
    const expected = [average, 2 * idf(2), 0, idf(1), 0, 0];
    (run(tfIdf, ['green red red pink']) as number[][])[0].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(tfIdf.computeOutputShape([null])).toEqual([null, 6]);
  });

  test('the config holds the adapted vocabulary; the layer rebuilt from it gives the same indices', () => {
    const layer = new TextVectorization({ maxTokens: 10, outputSequenceLength: 3, ngrams: [1, 2] });
    layer.adapt(tf.tensor([['to be or not to be']]));
    const config = layer.getConfig();
    expect(config).toMatchObject({ maxTokens: 10, ngrams: [1, 2], outputSequenceLength: 3, vocabularySize: 10, standardize: 'lower_and_strip_punctuation', split: 'whitespace' });
    const copy = TextVectorization.fromConfig(JSON.parse(JSON.stringify(config)));
    expect(run(copy, ['be or not'])).toEqual(run(layer, ['be or not']));
    expect(copy.getVocabulary()).toEqual(layer.getVocabulary());
  });

  test('bad arguments and data are refused clearly', () => {
    expect(() => new TextVectorization({ outputMode: 'count', outputSequenceLength: 3 })).toThrow(/outputSequenceLength applies to outputMode "int" only/);
    expect(() => new TextVectorization({ standardize: 'upper' as never })).toThrow(/functions cannot be saved/);
    expect(() => new TextVectorization({ padToMaxTokens: true, outputMode: 'count' })).toThrow(/padToMaxTokens needs maxTokens/);
    const layer = new TextVectorization({ vocabulary: ['a'] });
    expect(() => layer.apply(tf.tensor([['a', 'b']]))).toThrow(/shaped \[batch\] or \[batch, 1\], got \[1, 2\]/);
    expect(() => layer.adapt([['a', 'b']])).toThrow(/one per document/);
    expect(() => new TextVectorization().adapt([])).toThrow(/found no tokens/);
  });
});
