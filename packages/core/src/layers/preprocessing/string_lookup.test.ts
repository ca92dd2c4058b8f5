import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { resetNameCounters } from '../../engine/names';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { StringLookup } from './string_lookup';

const vocab = ['a', 'b', 'c', 'd'];
const values = (t: Tensor) => t.arraySync();
const call = (layer: StringLookup, data: unknown) => values(layer.apply(tf.tensor(data as string[])) as Tensor);

function expectClose(actual: unknown, expected: number[][]): void {
  (actual as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
}

describe('StringLookup', () => {
  beforeEach(() => resetNameCounters());

  test('passes the shared layer test in int, inverted and multi_hot output', () => {
    runLayerTest({
      make: () => new StringLookup({ vocabulary: vocab }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no StringLookup layer/ },
      input: tf.tensor([['a', 'c', 'd'], ['d', 'z', 'b']]),
      expectedOutputShape: [2, 3],
      expectedOutput: tf.tensor2d([[1, 3, 4], [4, 0, 2]], [2, 3], 'int32'),
      expectedWeights: [],
    });
    runLayerTest({
      make: () => new StringLookup({ vocabulary: vocab, invert: true, maskToken: '' }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no StringLookup layer/ },
      input: tf.tensor2d([[2, 4, 5], [0, 1, 3]], [2, 3], 'int32'),
      expectedOutput: tf.tensor([['a', 'c', 'd'], ['', '[UNK]', 'b']]),
    });
    runLayerTest({
      make: () => new StringLookup({ vocabulary: vocab, outputMode: 'multi_hot', maxTokens: 8, padToMaxTokens: true }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no StringLookup layer/ },
      input: tf.tensor([['a', 'c', 'd', 'd'], ['d', 'z', 'b', 'z']]),
      expectedOutput: tf.tensor2d([[0, 1, 0, 1, 1, 0, 0, 0], [1, 0, 1, 0, 1, 0, 0, 0]]),
    });
  });

  test("Keras's documented examples: a known vocabulary, several OOV indices, a mask token, and the inverse", () => {
    expect(call(new StringLookup({ vocabulary: vocab }), [['a', 'c', 'd'], ['d', 'z', 'b']])).toEqual([[1, 3, 4], [4, 0, 2]]);
    // With two OOV indices, 'm' and 'z' land in buckets 0 and 1 (FarmHash, as TensorFlow hashes them).
    expect(call(new StringLookup({ vocabulary: vocab, numOovIndices: 2 }), [['a', 'c', 'd'], ['m', 'z', 'b']])).toEqual([[2, 4, 5], [0, 1, 3]]);
    expect(call(new StringLookup({ vocabulary: vocab, maskToken: '' }), [['a', 'c', 'd'], ['d', '', 'b']])).toEqual([[2, 4, 5], [5, 0, 3]]);
    const inverse = new StringLookup({ vocabulary: vocab, invert: true });
    expect(values(inverse.apply(tf.tensor2d([[1, 3, 4], [4, 0, 2]], [2, 3], 'int32')) as Tensor)).toEqual([['a', 'c', 'd'], ['d', '[UNK]', 'b']]);
  });

  test("Keras's documented examples of one_hot, multi_hot, count and tf_idf output", () => {
    expect(call(new StringLookup({ vocabulary: vocab, outputMode: 'one_hot' }), ['a', 'b', 'c', 'd', 'z'])).toEqual([
      [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0],
    ]);
    const data = [['a', 'c', 'd', 'd'], ['d', 'z', 'b', 'z']];
    expect(call(new StringLookup({ vocabulary: vocab, outputMode: 'multi_hot' }), data)).toEqual([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
    expect(call(new StringLookup({ vocabulary: vocab, outputMode: 'count' }), data)).toEqual([[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]);
    const tfIdf = new StringLookup({ outputMode: 'tf_idf' });
    tfIdf.setVocabulary(vocab, [0.25, 0.75, 0.6, 0.4]);
    expectClose(call(tfIdf, data), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]]);
    const withOov = new StringLookup({ outputMode: 'tf_idf' });
    withOov.setVocabulary(['[UNK]', ...vocab], [0.9, 0.25, 0.75, 0.6, 0.4]);
    expectClose(call(withOov, data), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]]);
    // The mask token counts nowhere outside int output; a last axis of 1 is replaced by the one-hot axis.
    expect(call(new StringLookup({ vocabulary: vocab, maskToken: '', outputMode: 'count' }), [['a', '', 'a']])).toEqual([[0, 2, 0, 0, 0]]);
    expect(call(new StringLookup({ vocabulary: vocab, outputMode: 'one_hot' }), [['b'], ['q']])).toEqual([[0, 0, 1, 0, 0], [1, 0, 0, 0, 0]]);
  });

  test("adapt: Keras's documented vocabulary (most frequent first, ties in descending order), max_tokens and tf_idf", () => {
    const data = [['a', 'c', 'd'], ['d', 'z', 'b']];
    const layer = new StringLookup();
    layer.adapt(data);
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    expect(call(layer, data)).toEqual([[5, 3, 1], [1, 2, 4]]);

    const capped = new StringLookup({ maxTokens: 3, maskToken: '' });
    capped.adapt(tf.tensor(data));
    expect(capped.getVocabulary()).toEqual(['', '[UNK]', 'd']);
    expect(capped.getVocabulary(false)).toEqual(['d']);

    // Each row is a document: idf = log(1 + documents / (1 + documents with the term)).
    const idf = new StringLookup({ outputMode: 'tf_idf' });
    idf.adapt([['x', 'y', 'x'], ['x'], ['z']]);
    const weights = [Math.log(1 + 3 / 3), Math.log(1 + 3 / 2), Math.log(1 + 3 / 2)];
    const average = weights.reduce((a, b) => a + b) / 3;
    expect(idf.getVocabulary()).toEqual(['[UNK]', 'x', 'z', 'y']);
    expectClose(call(idf, [['x', 'x', 'q', 'y']]), [[average, 2 * weights[0], 0, weights[2]]]);
  });

  test('adapt takes an iterable of batches, and steps limits it', () => {
    const layer = new StringLookup();
    layer.adapt((function* batches() {
      yield ['b', 'b'];
      yield tf.tensor(['a']);
      yield ['c'];
    })(), { steps: 2 });
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'b', 'a']);
  });

  test('the vocabulary is saved in the config and read back, also from a Keras 2 config', () => {
    const layer = new StringLookup({ maskToken: '', numOovIndices: 2 });
    layer.adapt([['x', 'y', 'y']]);
    const config = layer.getConfig();
    expect(config.vocabulary).toEqual(['', '[UNK]', '[UNK]', 'y', 'x']);
    expect(config.vocabularySize).toBe(5);
    const copy = StringLookup.fromConfig(config);
    expect(call(copy, [['x', 'y', '']])).toEqual(call(layer, [['x', 'y', '']]));
    // Keras 2 wrote dtype "string" and sparse false; Keras 3 a float32 dtype policy.
    const keras2 = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [{
          class_name: 'StringLookup',
          config: { name: 'lookup', trainable: true, batch_input_shape: [null, 2], dtype: 'string', invert: false, max_tokens: null, num_oov_indices: 1, oov_token: '[UNK]', mask_token: null, output_mode: 'int', sparse: false, pad_to_max_tokens: false, vocabulary: ['p', 'q'], idf_weights: null, encoding: 'utf-8' },
        }],
      },
      keras_version: '2.13.1',
      backend: 'tensorflow',
    };
    const m = modelFromJSON(JSON.stringify(keras2));
    expect(values(m.predict(tf.tensor([['q', 'p'], ['r', 'q']])) as Tensor)).toEqual([[2, 1], [0, 2]]);
  });

  test('bad arguments and data are refused clearly', () => {
    expect(() => new StringLookup({ vocabulary: ['a', 'b', 'a'] })).toThrow(/repeats "a"/);
    expect(() => new StringLookup({ vocabulary: ['a', ''], maskToken: '' })).toThrow(/mask token "" is among the terms/);
    expect(() => new StringLookup({ vocabulary: vocab, maxTokens: 3 })).toThrow(/more than maxTokens 3/);
    expect(() => new StringLookup({ invert: true, outputMode: 'count' })).toThrow(/invert needs outputMode "int"/);
    expect(() => new StringLookup({ outputMode: 'tf_idf', vocabulary: vocab })).toThrow(/needs its idfWeights/);
    expect(() => new StringLookup({ vocabulary: 'vocab.txt' as never })).toThrow(/read a vocabulary file yourself/);
    // A Keras 3 config of an adapted layer: the vocabulary is in the archive's assets, not in the config.
    const fromKeras3 = new StringLookup({ vocabularySize: 5 });
    expect(() => call(fromKeras3, ['a'])).toThrow(/names a vocabulary of 5 entries but does not hold it/);
    expect(() => fromKeras3.setVocabulary(['a', 'b'])).toThrow(/3 entries .* but vocabularySize says 5/);
    fromKeras3.setVocabulary(vocab);
    expect(call(fromKeras3, ['d'])).toEqual([4]);
    expect(() => call(new StringLookup(), ['a'])).toThrow(/has no vocabulary yet/);
    expect(() => call(new StringLookup({ vocabulary: vocab, numOovIndices: 0 }), ['a', 'zz'])).toThrow(/"zz" is not in the vocabulary and numOovIndices is 0/);
    expect(() => new StringLookup({ vocabulary: vocab }).apply(tf.ones([2]))).toThrow(/expected strings, got a float32 tensor/);
    expect(() => new StringLookup().adapt([['a'], 'b'] as never)).toThrow(/rectangular/);
  });
});
