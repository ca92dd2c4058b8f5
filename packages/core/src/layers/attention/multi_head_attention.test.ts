import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { modelToKerasConfig } from '../../config/model_to_json';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import { setSeed } from '../../engine/random';
import type { SymbolicTensor } from '../../engine/symbolic';
import type { Tensor } from '../../engine/types';
import { model } from '../../models/model';
import { checkLayerGradients, runLayerTest } from '../../testing';
import { MultiHeadAttention } from './multi_head_attention';
import { referenceMultiHead, type Matrix, type MultiHeadWeights } from './__tests__/reference_attention';

const dims = { heads: 2, keyDim: 3, valueDim: 2 };

/** The layer's weights as the reference's matrices (kernels flattened to 2-D, Keras's element order). */
function referenceWeights(layer: MultiHeadAttention): MultiHeadWeights {
  const values = layer.getWeights();
  const matrix = (t: Tensor) => t.reshape([t.shape[0], -1]).arraySync() as Matrix;
  const flatKernel = (t: Tensor) => t.reshape([t.shape[0] * (t.shape[1] as number), -1]).arraySync() as Matrix;
  const vector = (t: Tensor) => Array.from(t.dataSync());
  const w = {
    query: { kernel: matrix(values[0]), bias: vector(values[1]) },
    key: { kernel: matrix(values[2]), bias: vector(values[3]) },
    value: { kernel: matrix(values[4]), bias: vector(values[5]) },
    output: { kernel: flatKernel(values[6]), bias: vector(values[7]) },
  };
  tf.dispose(values);
  return w;
}

function expectClose(actual: Tensor, expected: number[][] | number[][][], tolerance = 1e-5): void {
  const got = (actual.arraySync() as number[][][])[0];
  expect(JSON.stringify(got.length)).toBe(JSON.stringify(expected.length));
  const flatGot = got.flat(2) as number[];
  const flatExpected = (expected as unknown[]).flat(2) as number[];
  flatGot.forEach((v, i) => expect(Math.abs(v - flatExpected[i])).toBeLessThanOrEqual(tolerance));
}

describe('MultiHeadAttention', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test("Keras's documented example: 2 heads of key_dim 2, target [8, 16] against source [4, 16]", () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const [output, weights] = layer.apply([input({ shape: [8, 16] }), input({ shape: [4, 16] })], { returnAttentionScores: true }) as SymbolicTensor[];
    expect(output.shape).toEqual([null, 8, 16]);
    expect(weights.shape).toEqual([null, 2, 8, 4]);
    expect(layer.countParams()).toBe(284);
  });

  test('passes the shared layer test, with its weights named and ordered as Keras 3', () => {
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const v = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 2);
    runLayerTest({
      make: () => new MultiHeadAttention({ numHeads: 2, keyDim: 3 }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no MultiHeadAttention layer/ },
      input: [q, v],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: ['query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'attention_output/kernel', 'attention_output/bias'],
      supportsMasking: true,
      mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 0]], [2, 3], 'bool'), expected: 'input' },
    });
    runLayerTest({
      make: () => new MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 5, outputShape: [2, 3], useBias: false, dropout: 0.1, attentionAxes: [1], name: 'mha' }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no MultiHeadAttention layer/ },
      input: [q, v, tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3)],
      callArgs: { returnAttentionScores: true, useCausalMask: true },
      expectedOutputShape: [[2, 3, 2, 3], [2, 3, 3, 5]],
      expectedWeights: ['query/kernel', 'key/kernel', 'value/kernel', 'attention_output/kernel'],
    });
  });

  test('computes every head as in the float64 reference, with input masks, the causal mask and an attention mask', () => {
    setSeed(5);
    const layer = new MultiHeadAttention({ numHeads: dims.heads, keyDim: dims.keyDim, valueDim: dims.valueDim, biasInitializer: 'randomNormal' });
    const query = tf.randomNormal([1, 4, 3], 0, 1, 'float32', 11);
    const value = tf.randomNormal([1, 5, 2], 0, 1, 'float32', 12);
    const key = tf.randomNormal([1, 5, 4], 0, 1, 'float32', 13);
    const [output, weights] = layer.apply([query, value, key], { returnAttentionScores: true }) as Tensor[];
    const m = (t: Tensor) => (t.arraySync() as Matrix[])[0];
    const w = referenceWeights(layer);
    const plain = referenceMultiHead(m(query), m(value), m(key), w, dims);
    expectClose(output, plain.output);
    expectClose(weights, plain.weights);

    const queryMask = [true, true, true, false];
    const valueMask = [true, false, true, true, true];
    const explicit = [[1, 1, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 1], [1, 1, 1, 1, 1]];
    const masked = layer.apply([query, value, key], {
      returnAttentionScores: true, useCausalMask: true, attentionMask: tf.tensor3d([explicit]),
      mask: [tf.tensor2d([queryMask], [1, 4], 'bool'), tf.tensor2d([valueMask], [1, 5], 'bool'), null] as Tensor[],
    }) as Tensor[];
    const allowed = (i: number, j: number) => queryMask[i] && valueMask[j] && j <= i && explicit[i][j] === 1;
    const reference = referenceMultiHead(m(query), m(value), m(key), w, dims, allowed);
    expectClose(masked[0], reference.output);
    expectClose(masked[1], reference.weights);
    // A query step with nothing to attend to (the last, masked) gets all-zero weights, as Keras 3's softmax gives.
    expect((masked[1].arraySync() as number[][][][])[0][0][3].every((x) => x === 0)).toBe(true);
  });

  test('gradients match finite differences, masks included', () => {
    setSeed(6);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3, outputShape: 2 });
    const mask = [null, tf.tensor2d([[1, 1, 0, 1], [1, 1, 1, 1]], [2, 4], 'bool')] as Tensor[];
    checkLayerGradients(layer, [tf.randomNormal([2, 3, 3], 0, 0.7, 'float32', 7), tf.randomNormal([2, 4, 2], 0, 0.7, 'float32', 8)], {
      callArgs: { mask, useCausalMask: true }, samples: 6,
    });
  });

  test('a Keras 3 config with [query, value, key] as separate arguments reads and writes them that way', () => {
    const q = input({ shape: [3, 4], name: 'q' });
    const v = input({ shape: [5, 4], name: 'v' });
    const out = new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha' }).apply([q, v, v]) as SymbolicTensor;
    const json = modelToKerasConfig(model({ inputs: [q, v], outputs: out }), { dialect: 'keras3' }) as { config: { layers: { name: string; inbound_nodes: { args: unknown[] }[] }[] } };
    const node = json.config.layers.find((l) => l.name === 'mha')!.inbound_nodes[0];
    // Keras 3 calls MultiHeadAttention(query, value, key), not on a list.
    expect(node.args.map((a) => (a as { config: { keras_history: unknown[] } }).config.keras_history[0])).toEqual(['q', 'v', 'v']);
    expect(modelFromJSON(JSON.stringify(json)).getLayer('mha')).toBeInstanceOf(MultiHeadAttention);
  });

  test('a Keras 2 config passing value (and key) as call keyword arguments reads as [query, value, key]', () => {
    const json = {
      class_name: 'Functional', keras_version: '2.15.0', backend: 'tensorflow',
      config: {
        name: 'm',
        layers: [
          { class_name: 'InputLayer', name: 'q', config: { batch_input_shape: [null, 3, 4], dtype: 'float32', name: 'q' }, inbound_nodes: [] },
          { class_name: 'InputLayer', name: 'v', config: { batch_input_shape: [null, 5, 4], dtype: 'float32', name: 'v' }, inbound_nodes: [] },
          {
            class_name: 'MultiHeadAttention', name: 'mha',
            config: { name: 'mha', trainable: true, dtype: 'float32', num_heads: 2, key_dim: 2, value_dim: 2, dropout: 0, use_bias: true, output_shape: null, attention_axes: [1], kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
            inbound_nodes: [[['q', 0, 0, { value: ['v', 0, 0], key: ['v', 0, 0], use_causal_mask: true }]]],
          },
        ],
        input_layers: [['q', 0, 0], ['v', 0, 0]],
        output_layers: [['mha', 0, 0]],
      },
    };
    const m = modelFromJSON(JSON.stringify(json));
    const layer = m.getLayer('mha');
    expect(layer.inboundNodes[0].inputTensors.map((t) => t.sourceLayer.name)).toEqual(['q', 'v', 'v']);
    expect(layer.inboundNodes[0].callArgs).toEqual({ useCausalMask: true });
    const out = m.predict([tf.ones([1, 3, 4]), tf.ones([1, 5, 4])]) as Tensor;
    expect(out.shape).toEqual([1, 3, 4]);
  });

  test('what it does not do is refused clearly', () => {
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [1, 2] })).toThrow(/attentionAxes \[1,2\] is not supported/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, activityRegularizer: 'l2' })).toThrow(/activityRegularizer is not supported/);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    expect(() => layer.apply([tf.ones([1, 2, 3, 4]), tf.ones([1, 2, 3, 4])])).toThrow(/attention over more than one axis is not implemented/);
    expect(() => layer.apply([tf.ones([1, 2, 4]), tf.ones([1, 3, 4])], { attentionMask: tf.ones([1, 3, 3]) })).toThrow(/attentionMask must be \[batch, 2, 3\]/);
    expect(() => layer.apply(input({ shape: [2, 4] }) as never)).toThrow(/expects a list of inputs/);
  });
});
