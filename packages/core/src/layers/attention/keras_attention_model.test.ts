/**
 * The attention users write by hand in Keras (before the Attention layer): a Bidirectional LSTM encoder
 * whose states start an LSTM decoder, Dot scores of the decoder's outputs against the encoder's, a
 * softmax Activation, a Dot context, Concatenate and TimeDistributed(Dense), as tf.keras 2.15 writes the
 * functional config. It loads, trains a step, and round-trips through both written dialects and the
 * saved files. TensorFlow.js has every layer of it and reads the files, but 4.22 cannot predict with this
 * graph, not even when the same model is built with tf.layers: with the encoder's input masked, its
 * executor calls Bidirectional in a way Bidirectional refuses ("When inputs is an array, neither
 * initialState or constants should be provided").
 */
import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { loadModelSync } from '../../saving/load_model';
import { trainOnBatch } from '../../training/batch_methods';
import { compileModel } from '../../training/compile_args';
import { expectNoLeak } from '../../testing';
import { withTempDir } from '../../testing/temp_dir';
import keras2Attention from '../__tests__/fixtures/keras2_attention_seq2seq.json';

/** Source and target ids (0 = padding after the sequence), and the next target ids. */
function batch(): { source: Tensor; target: Tensor; next: Tensor } {
  return {
    source: tf.tensor2d([[3, 4, 5, 6, 0, 0], [7, 8, 9, 0, 0, 0], [2, 3, 4, 5, 6, 7]]),
    target: tf.tensor2d([[1, 10, 11, 12, 0], [1, 13, 14, 0, 0], [1, 15, 16, 17, 18]]),
    next: tf.tensor2d([[10, 11, 12, 2, 0], [13, 14, 2, 0, 0], [15, 16, 17, 18, 2]]),
  };
}

const values = (t: Tensor) => Array.from(t.dataSync());

describe('a Keras 2 functional attention model (Dot / Activation / Dot over a Bidirectional encoder)', () => {
  test('loads with the layers, shapes and parameter counts Keras reports', () => {
    const m = modelFromJSON(keras2Attention);
    expect(m.layers.map((l) => l.className)).toEqual([
      'InputLayer', 'Embedding', 'InputLayer', 'Bidirectional', 'Embedding', 'Concatenate', 'Concatenate', 'LSTM', 'Dot', 'Activation', 'Dot',
      'Concatenate', 'TimeDistributed',
    ]);
    expect(m.countParams()).toBe(160 + 160 + 3200 + 5248 + 1300);
    expect(m.outputs[0].shape).toEqual([null, null, 20]);
    // The scores are [batch, decoder steps, encoder steps], the context [batch, decoder steps, 32].
    expect(m.getLayer('dot').output).toHaveProperty('shape', [null, null, null]);
    expect(m.getLayer('dot_1').output).toHaveProperty('shape', [null, null, 32]);
    m.dispose();
  });

  test('trains a step without leaking: every weight moves and the loss falls', () => {
    const m = modelFromJSON(keras2Attention);
    compileModel(m, { optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'sparse_categorical_crossentropy' });
    const { source, target, next } = batch();
    const before = m.getWeights();
    const first = trainOnBatch(m, [source, target], next) as number;
    const after = m.getWeights();
    after.forEach((w, i) => expect({ weight: m.weights[i].name, moved: tf.max(tf.abs(tf.sub(w, before[i]))).dataSync()[0] > 0 }).toEqual({ weight: m.weights[i].name, moved: true }));
    let last = first;
    for (let i = 0; i < 5; i++) last = trainOnBatch(m, [source, target], next) as number;
    expect(last).toBeLessThan(first);
    expectNoLeak('training step', () => {
      trainOnBatch(m, [source, target], next);
    });
    tf.dispose([source, target, next, ...before, ...after]);
    m.dispose();
  });

  test('round-trips through both dialects and the saved files', () => {
    const m = modelFromJSON(keras2Attention);
    const { source, target, next } = batch();
    const expected = m.predict([source, target]) as Tensor;
    for (const dialect of ['tfjs', 'keras3'] as const) {
      const back = modelFromJSON(modelToJSON(m, { dialect }));
      const weights = m.getWeights();
      back.setWeights(weights);
      const actual = back.predict([source, target]) as Tensor;
      expect({ dialect, same: values(actual) }).toEqual({ dialect, same: values(expected) });
      tf.dispose([...weights, actual]);
      back.dispose();
    }
    withTempDir((dir) => {
      m.save(dir);
      const loaded = loadModelSync(dir);
      const actual = loaded.predict([source, target]) as Tensor;
      expect(values(actual)).toEqual(values(expected));
      tf.dispose(actual);
      loaded.dispose();
    });
    tf.dispose([source, target, next, expected]);
    m.dispose();
  });
});
