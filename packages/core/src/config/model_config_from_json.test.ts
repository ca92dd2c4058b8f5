import * as tf from '@tensorflow/tfjs';
import '../layers';
import { modelFromJSON } from './model_from_json';
import { modelConfigFromJson } from './model_config_from_json';
import { ConfigError } from './config_error';
import type { Model } from '../models/model';
import type { ModelConfig } from '../models/model_config';
import keras2Sequential from './fixtures/keras2_sequential_lstm.json';
import keras3Sequential from './fixtures/keras3_sequential_lstm.json';
import keras2Seq2seq from './fixtures/keras2_functional_seq2seq.json';
import keras3Seq2seq from './fixtures/keras3_functional_seq2seq.json';

function layerSummary(model: Model): string[] {
  return model.layers.map((l) => `${l.className}:${l.name}:${l.weights.map((w) => w.shape.join('x')).join(',')}`);
}

/** Copies weights from `a` to `b` (same architecture) and checks both predict the same. */
function expectSamePredictions(a: Model, b: Model, inputs: tf.Tensor[]): void {
  b.setWeights(a.getWeights());
  const ya = [a.predict(inputs.length === 1 ? inputs[0] : inputs)].flat();
  const yb = [b.predict(inputs.length === 1 ? inputs[0] : inputs)].flat();
  expect(yb.map((t) => Array.from(t.dataSync()))).toEqual(ya.map((t) => Array.from(t.dataSync())));
  tf.dispose([...ya, ...yb]);
}

describe('Keras 2 and Keras 3 documents', () => {
  test('Embedding + LSTM + Dense Sequential reads the same from both dialects', () => {
    const m2 = modelFromJSON(keras2Sequential);
    const m3 = modelFromJSON(JSON.stringify(keras3Sequential));
    expect(m2.name).toBe('sentiment');
    const expected = ['Embedding:embedding:1000x16', 'LSTM:lstm:16x128,32x128,128', 'Dense:dense:32x1,1'];
    expect(layerSummary(m2).filter((s) => !s.startsWith('InputLayer'))).toEqual(expected);
    expect(layerSummary(m3).filter((s) => !s.startsWith('InputLayer'))).toEqual(expected);
    const x = tf.tensor2d([[3, 5, 7, ...new Array(17).fill(0)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]]);
    expectSamePredictions(m2, m3, [x]);
    x.dispose();
  });

  test('functional encoder-decoder with initial_state reads the same from both dialects', () => {
    const m2 = modelFromJSON(keras2Seq2seq);
    const m3 = modelFromJSON(keras3Seq2seq);
    expect(m2.inputNames).toEqual(['encoder_inputs', 'decoder_inputs']);
    expect(m3.inputNames).toEqual(['encoder_inputs', 'decoder_inputs']);
    expect(m3.outputNames).toEqual(['next_char']);
    const config2 = m2.getConfig() as ModelConfig;
    const decoder = config2.layers.find((l) => l.name === 'decoder')!;
    expect(decoder.inboundNodes[0].map((r) => r.slice(0, 3))).toEqual([['decoder_inputs', 0, 0], ['encoder', 0, 1], ['encoder', 0, 2]]);
    expect(layerSummary(m3)).toEqual(layerSummary(m2));
    const enc = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 1);
    const dec = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 2);
    expectSamePredictions(m2, m3, [enc, dec]);
    tf.dispose([enc, dec]);
  });

  test('the document may be wrapped as a model.json or a converter topology', () => {
    const wrapped = { format: 'layers-model', modelTopology: { keras_version: '2.13.1', backend: 'tensorflow', model_config: keras2Sequential } };
    const read = modelConfigFromJson(wrapped);
    expect(read.kind).toBe('Sequential');
    expect(read.source.dialect).toBe('keras2');
  });
});

describe('version-aware numerics', () => {
  const gru = (extra: Record<string, unknown>, version?: string) => ({
    class_name: 'Sequential',
    config: { layers: [{ class_name: 'GRU', config: { units: 2, batch_input_shape: [null, 3, 2], ...extra } }] },
    ...(version ? { keras_version: version } : {}),
  });
  const gruConfig = (doc: unknown) => {
    const read = modelConfigFromJson(doc);
    if (read.kind !== 'Sequential') throw new Error('expected a Sequential');
    return read.config.layers[0].config;
  };

  test('hard_sigmoid means 0.2x + 0.5 in Keras 2 files and x/6 + 0.5 in Keras 3 files', () => {
    expect(gruConfig(gru({ recurrent_activation: 'hard_sigmoid' }, '2.13.1')).recurrentActivation).toBe('hard_sigmoid_legacy');
    expect(gruConfig(gru({ recurrent_activation: 'hard_sigmoid' }, 'tfjs-layers 4.22.0')).recurrentActivation).toBe('hard_sigmoid_legacy');
    expect(gruConfig(gru({ recurrent_activation: 'hard_sigmoid' }, '3.3.3')).recurrentActivation).toBe('hard_sigmoid');
    expect(gruConfig(gru({ recurrent_activation: 'hard_sigmoid' })).recurrentActivation).toBe('hard_sigmoid');
  });

  test('Keras before 2.3 defaults to hard_sigmoid gates and GRU reset_after=false', () => {
    const old = gruConfig(gru({}, '2.2.4'));
    expect(old.recurrentActivation).toBe('hard_sigmoid_legacy');
    expect(old.resetAfter).toBe(false);
    const newer = gruConfig(gru({}, '2.4.0'));
    expect(newer.recurrentActivation).toBeUndefined();
    expect(newer.resetAfter).toBeUndefined();
  });

  test('the two hard_sigmoid readings compute different gates', () => {
    const doc = (version: string) => gru({ recurrent_activation: 'hard_sigmoid', reset_after: false }, version);
    const legacy = modelFromJSON(doc('2.13.1'));
    const modern = modelFromJSON(doc('3.3.3'));
    modern.setWeights(legacy.getWeights());
    const x = tf.tensor3d([[[2, -1], [0.5, 3], [-2, 1]]]);
    const a = legacy.predict(x) as tf.Tensor;
    const b = modern.predict(x) as tf.Tensor;
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  test('Keras 2.2 list-style Sequential with tfjs-style nulls', () => {
    const doc = {
      class_name: 'Sequential', keras_version: '2.2.4', backend: 'tensorflow',
      config: [{ class_name: 'LSTM', config: { name: 'lstm_1', units: 4, batch_input_shape: [null, 5, 3], implementation: null, unit_forget_bias: null } }],
    };
    const read = modelConfigFromJson(doc);
    expect(read.kind).toBe('Sequential');
    const cfg = (read.config as { layers: { config: Record<string, unknown> }[] }).layers[0].config;
    expect(cfg.implementation).toBeUndefined();
    expect(cfg.recurrentActivation).toBe('hard_sigmoid_legacy');
    expect(modelFromJSON(doc).layers.at(-1)!.name).toBe('lstm_1');
  });
});

describe('hand-written configs', () => {
  test('a layer needs only the keys without a Keras default, and RNN types swap with one word', () => {
    for (const cls of ['SimpleRNN', 'LSTM', 'GRU']) {
      const model = modelFromJSON({
        class_name: 'Sequential',
        config: { layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 7, 3] } }, { class_name: cls, config: { units: 64 } }] },
      });
      const layer = model.layers[model.layers.length - 1];
      expect(layer.className).toBe(cls);
      expect(model.outputs[0].shape).toEqual([null, 64]);
    }
  });

  test('input_shape on the first layer gives the model its input', () => {
    const model = modelFromJSON({ class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: { units: 4, input_shape: [null, 3] } }, { class_name: 'Dense', config: { units: 1 } }] } });
    expect(model.inputs[0].shape).toEqual([null, null, 3]);
  });

  test('a layer instead of a model is explained', () => {
    expect(() => modelFromJSON({ class_name: 'LSTM', config: { units: 3 } })).toThrow(/expected a model .*put it in \{"class_name": "Sequential"/);
  });

  test('a bad document is a ConfigError', () => {
    expect(() => modelFromJSON('{"class_name": "Sequential", ')).toThrow(ConfigError);
    expect(() => modelFromJSON('[1, 2]')).toThrow(/expected a model config/);
  });
});
