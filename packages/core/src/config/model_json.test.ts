import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { input } from '../engine/input_layer';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { setSeed } from '../engine/random';
import { layerClassNames } from '../engine/registry';
import { modelFromJSON } from './model_from_json';
import { modelToJSON, modelToKerasConfig } from './model_to_json';
import { ConfigError } from './config_error';
import { attentionAndTextModel } from '../layers/__tests__/attention_text_models';
import { companionLayersModel } from '../layers/__tests__/companion_models';

/** A Sequential using every single-input layer type. */
function everySequentialLayer(): Sequential {
  const m = new Sequential({ name: 'every_layer' });
  m.add(layers.embedding({ inputDim: 20, outputDim: 6, maskZero: true, inputShape: [9] }));
  m.add(layers.masking({ maskValue: 0 }));
  m.add(layers.spatialDropout1d({ rate: 0.1 }));
  m.add(layers.simpleRNN({ units: 4, returnSequences: true, activation: 'relu', kernelRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0 } } }));
  m.add(layers.bidirectional({ layer: layers.gru({ units: 3, returnSequences: true, resetAfter: false }), mergeMode: 'sum' }));
  m.add(layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'hard_sigmoid_legacy', kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } } }));
  m.add(layers.timeDistributed({ layer: layers.dense({ units: 2, activation: 'tanh' }) }));
  m.add(layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2, resetAfter: false })], returnSequences: true }));
  m.add(layers.rnn({ cell: layers.simpleRNNCell({ units: 2 }), returnSequences: true }));
  m.add(layers.globalAveragePooling1d({}));
  m.add(layers.repeatVector({ n: 3 }));
  m.add(layers.reshape({ targetShape: [6] }));
  m.add(layers.dropout({ rate: 0.2 }));
  m.add(layers.dense({ units: 4 }));
  m.add(layers.activation({ activation: 'softmax' }));
  return m;
}

/** A functional model with merges, shared inputs, initial states and pooling. */
function everyFunctionalLayer(): Model {
  const a = input({ shape: [5, 3], name: 'a' });
  const b = input({ shape: [5, 3], name: 'b' });
  const [seq, h, c] = layers.lstm({ units: 4, returnSequences: true, returnState: true, name: 'enc' }).apply(a) as ReturnType<typeof input>[];
  const dec = layers.lstm({ units: 4, returnSequences: true, name: 'dec' }).apply([b, h, c]) as ReturnType<typeof input>;
  const added = layers.add({}).apply([seq, dec]) as ReturnType<typeof input>;
  const maxed = layers.globalMaxPooling1d({}).apply(added) as ReturnType<typeof input>;
  const gru = layers.gru({ units: 2, resetAfter: false }).apply(b) as ReturnType<typeof input>;
  const joined = layers.concatenate({ axis: -1 }).apply([maxed, gru]) as ReturnType<typeof input>;
  const flat = layers.flatten({}).apply(joined) as ReturnType<typeof input>;
  const out = layers.dense({ units: 1, name: 'out' }).apply(flat) as ReturnType<typeof input>;
  return new Model({ inputs: [a, b], outputs: out, name: 'every_functional' });
}

describe('config -> model -> config is the identity', () => {
  beforeAll(() => setSeed(7));

  for (const dialect of ['tfjs', 'keras3'] as const) {
    test(`Sequential with every layer type (${dialect})`, () => {
      const first = modelToKerasConfig(everySequentialLayer(), { dialect });
      const rebuilt = modelFromJSON(JSON.stringify(first));
      expect(modelToKerasConfig(rebuilt, { dialect })).toEqual(first);
    });

    test(`Functional with merges and initial states (${dialect})`, () => {
      const first = modelToKerasConfig(everyFunctionalLayer(), { dialect });
      const rebuilt = modelFromJSON(first);
      expect(modelToKerasConfig(rebuilt, { dialect })).toEqual(first);
    });

    test(`Functional with the convolution, merge, normalization, activation and noise layers (${dialect})`, () => {
      const first = modelToKerasConfig(companionLayersModel(dialect === 'tfjs'), { dialect });
      expect(modelToKerasConfig(modelFromJSON(first), { dialect })).toEqual(first);
    });
  }

  test('Functional with the attention and text layers (keras3)', () => {
    const first = modelToKerasConfig(attentionAndTextModel(), { dialect: 'keras3' });
    expect(modelToKerasConfig(modelFromJSON(first), { dialect: 'keras3' })).toEqual(first);
  });

  test('the camelCase configs survive the trip too, and the models compute the same', () => {
    const original = everyFunctionalLayer();
    const rebuilt = modelFromJSON(modelToJSON(original, { dialect: 'keras3' }));
    expect(rebuilt.getConfig()).toEqual(original.getConfig());
    rebuilt.setWeights(original.getWeights());
    const a = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3);
    const b = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 4);
    const ya = [original.predict([a, b])].flat();
    const yb = [rebuilt.predict([a, b])].flat();
    expect(Array.from(yb[0].dataSync())).toEqual(Array.from(ya[0].dataSync()));
    tf.dispose([a, b, ...ya, ...yb]);
  });

  test('the tests above cover every registered layer class', () => {
    const used = new Set<string>();
    const collect = (doc: unknown): void => {
      if (Array.isArray(doc)) doc.forEach(collect);
      else if (doc && typeof doc === 'object') {
        const o = doc as Record<string, unknown>;
        if (typeof o.class_name === 'string') used.add(o.class_name);
        Object.values(o).forEach(collect);
      }
    };
    collect(modelToKerasConfig(everySequentialLayer(), { dialect: 'keras3' }));
    collect(modelToKerasConfig(everyFunctionalLayer(), { dialect: 'keras3' }));
    collect(modelToKerasConfig(attentionAndTextModel(), { dialect: 'keras3' }));
    collect(modelToKerasConfig(companionLayersModel(), { dialect: 'keras3' }));
    const modelClasses = ['Sequential', 'Functional', 'Model'];
    const missing = layerClassNames().filter((n) => !used.has(n) && !modelClasses.includes(n) && !['GlobalMaxPool1D', 'GlobalAvgPool1D', 'MaxPool1D', 'AvgPool1D', 'Convolution1D'].includes(n));
    expect(missing).toEqual([]);
  });
});

describe('writing for TensorFlow.js', () => {
  test('GRU with reset_after=true cannot be written for tfjs, and the error says what to do', () => {
    const m = new Sequential();
    m.add(layers.gru({ units: 2, inputShape: [3, 2] }));
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/reset_after.*tfjs only runs GRU with reset_after=false/);
    expect(() => modelToJSON(m, { dialect: 'keras3' })).not.toThrow();
    // 'auto' (the default) falls back to the Keras 3 spelling for such a model.
    expect(JSON.parse(modelToJSON(m)).module).toBe('keras');
  });

  test("Keras 3's hard_sigmoid cannot be written for tfjs; the legacy one is written as tfjs's hard_sigmoid", () => {
    const m = new Sequential();
    m.add(layers.lstm({ units: 2, inputShape: [3, 2], recurrentActivation: 'hard_sigmoid' }));
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(ConfigError);
    const legacy = new Sequential();
    legacy.add(layers.lstm({ units: 2, inputShape: [3, 2], recurrentActivation: 'hard_sigmoid_legacy' }));
    expect(modelToJSON(legacy, { dialect: 'tfjs' })).toContain('"recurrent_activation":"hard_sigmoid"');
  });

  test('the tfjs dialect writes the recurrent activation explicitly (tfjs defaults to hard_sigmoid)', () => {
    const m = new Sequential();
    m.add(layers.lstm({ units: 2, inputShape: [3, 2] }));
    const doc = modelToKerasConfig(m, { dialect: 'tfjs' }) as { config: { layers: { config: Record<string, unknown> }[] } };
    expect(doc.config.layers[0].config.recurrent_activation).toBe('sigmoid');
  });
});

describe('initial states in functional configs', () => {
  /** A decoder LSTM that starts from the states [h, c], and its config with one state reference removed. */
  function halfRemoved(wrapped: boolean): object {
    const x = input({ shape: [4, 3], name: 'x' });
    const h = input({ shape: [5], name: 'h' });
    const c = input({ shape: [5], name: 'c' });
    const states = wrapped ? [h, c, h, c] : [h, c];
    const layer = wrapped ? layers.bidirectional({ layer: layers.lstm({ units: 5 }), name: 'dec' }) : layers.lstm({ units: 5, name: 'dec' });
    const y = layer.apply(x, { initialState: states }) as ReturnType<typeof input>;
    const json = JSON.parse(modelToJSON(new Model({ inputs: [x, h, c], outputs: y }))) as { config: { layers: { name: string; inbound_nodes: unknown[][] }[] } };
    const dec = json.config.layers.find((l) => l.name === 'dec')!;
    dec.inbound_nodes[0] = dec.inbound_nodes[0].slice(0, -1);
    return json;
  }

  test('a state reference removed from the call is refused when the model is built, not when it runs', () => {
    expect(() => modelFromJSON(halfRemoved(false))).toThrow(ConfigError);
    expect(() => modelFromJSON(halfRemoved(false))).toThrow(/cannot be built: LSTM 'dec': initialState must hold 2 tensor\(s\) \(state sizes \[5, 5\]\), got 1/);
    expect(() => modelFromJSON(halfRemoved(true))).toThrow(/cannot be built: Bidirectional 'dec': initialState must list the forward states then the backward states \(an even count\), got 3/);
  });
});
