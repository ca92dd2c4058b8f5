import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import type { SymbolicTensor } from '../engine/symbolic';
import { Dense } from '../layers/core/dense';
import { LSTM } from '../layers/rnn/lstm';
import { modelFromJSON } from '../config/model_from_json';
import { modelToJSON } from '../config/model_to_json';
import keras3Seq2seq from '../config/fixtures/keras3_functional_seq2seq.json';
import { Model, model } from './model';
import type { ModelConfig } from './model_config';
import { Sequential } from './sequential';

/** Keras 3 / tfjs: a model with exactly one output predicts a tensor, however it was built. */
describe('single-output models return one tensor', () => {
  beforeEach(() => resetNameCounters());

  function singleOutput(): Model {
    const x = input({ shape: [3, 2] });
    const h = new LSTM({ units: 4 }).apply(x) as SymbolicTensor;
    return model({ inputs: x, outputs: new Dense({ units: 1 }).apply(h) as SymbolicTensor });
  }

  test('built directly, from its config, and from Keras JSON', () => {
    const m = singleOutput();
    const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 3);
    const rebuilt = Model.fromConfig(m.getConfig() as unknown as Record<string, unknown>) as Model;
    rebuilt.setWeights(m.getWeights());
    const fromJson = modelFromJSON(modelToJSON(m));
    fromJson.setWeights(m.getWeights());
    const expected = m.predict(x);
    expect(expected).toBeInstanceOf(tf.Tensor);
    for (const other of [rebuilt, fromJson]) {
      expect(other.outputs.length).toBe(1);
      const y = other.predict(x);
      expect(y).toBeInstanceOf(tf.Tensor);
      expect(Array.isArray(y)).toBe(false);
      expect(Array.from((y as tf.Tensor).dataSync())).toEqual(Array.from((expected as tf.Tensor).dataSync()));
      const onBatch = other.predictOnBatch(x);
      expect(onBatch).toBeInstanceOf(tf.Tensor);
      // As a layer of another graph it gives one symbolic tensor too.
      const out = other.apply(input({ shape: [3, 2] }));
      expect(Array.isArray(out)).toBe(false);
      expect((out as SymbolicTensor).shape).toEqual([null, 1]);
    }
  });

  test('an output taken from a multi-output layer is still one output', () => {
    const x = input({ shape: [3, 2] });
    const [, h] = new LSTM({ units: 4, returnState: true }).apply(x) as SymbolicTensor[];
    const m = model({ inputs: x, outputs: h });
    const rebuilt = Model.fromConfig(m.getConfig() as ModelConfig as unknown as Record<string, unknown>) as Model;
    const y = rebuilt.predict(tf.ones([2, 3, 2]));
    expect(y).toBeInstanceOf(tf.Tensor);
    expect((y as tf.Tensor).shape).toEqual([2, 4]);
  });

  test('a Keras 3 file whose output_layers is one flat reference', () => {
    // Keras 3 writes a single output as ["next_char", 0, 0] rather than a list of references.
    const m = modelFromJSON(keras3Seq2seq);
    const y = m.predict([tf.ones([2, 4, 5]), tf.ones([2, 3, 6])]);
    expect(y).toBeInstanceOf(tf.Tensor);
    const rebuilt = Model.fromConfig(m.getConfig() as unknown as Record<string, unknown>) as Model;
    expect(rebuilt.predict([tf.ones([1, 4, 5]), tf.ones([1, 3, 6])])).toBeInstanceOf(tf.Tensor);
  });

  test('a Sequential model from its config', () => {
    const s = new Sequential({ layers: [new Dense({ units: 2, inputShape: [3] })] });
    const rebuilt = Sequential.fromConfig(s.getConfig() as unknown as Record<string, unknown>) as Sequential;
    expect(rebuilt.predict(tf.ones([4, 3]))).toBeInstanceOf(tf.Tensor);
    const fromJson = modelFromJSON(modelToJSON(s));
    expect(fromJson.predict(tf.ones([4, 3]))).toBeInstanceOf(tf.Tensor);
  });
});
