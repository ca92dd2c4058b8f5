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
import { Attention } from './attention';
import { dot, expectMatrix, one, referenceAttention, type Matrix } from './__tests__/reference_attention';

const query: Matrix = [[1, 0, 0.5], [0, 1, -1], [0.3, 0.2, 0.1]];
const value: Matrix = [[1, 2], [3, 4], [5, 6], [-1, 0]];
const key: Matrix = [[0.1, 0.2, 0.3], [1, -1, 0], [0, 0, 2], [0.5, 0.5, 0.5]];



describe('Attention', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('passes the shared layer test: [query, value], masks, and the scores as a second output', () => {
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const v = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2);
    runLayerTest({
      make: () => new Attention(),
      unsupportedDialects: { tfjs: /TensorFlow.js has no Attention layer/ },
      input: [q, v],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: [],
      supportsMasking: true,
      mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 0]], [2, 3], 'bool'), expected: 'input' },
    });
    runLayerTest({
      make: () => new Attention({ useScale: true, scoreMode: 'concat', name: 'luong' }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no Attention layer/ },
      input: [q, v, tf.randomNormal([2, 5, 4], 0, 1, 'float32', 3)],
      callArgs: { returnAttentionScores: true, useCausalMask: true },
      expectedOutputShape: [[2, 3, 4], [2, 3, 5]],
      expectedWeights: ['scale', 'concat_score_weight'],
    });
  });

  test('dot scores: softmax(query . key) weights the values (hand-computed reference)', () => {
    const layer = new Attention();
    const [output, weights] = layer.apply([one(query), one(value), one(key)], { returnAttentionScores: true }) as Tensor[];
    const reference = referenceAttention(query, value, key, { score: dot });
    expectMatrix(output, reference.output);
    expectMatrix(weights, reference.weights);
    // Without a key, the value is the key: its feature size must then match the query's.
    const selfAttention = layer.apply([one(value), one(value)]) as Tensor;
    expectMatrix(selfAttention, referenceAttention(value, value, value, { score: dot }).output);
  });

  test('use_scale multiplies the dot scores by a learned scalar; concat scores are w * sum(tanh(scale * (q + k)))', () => {
    const scaled = new Attention({ useScale: true });
    scaled.maybeBuild([[null, 3, 3], [null, 4, 2], [null, 4, 3]]);
    scaled.setWeights([tf.scalar(0.5)]);
    expectMatrix(scaled.apply([one(query), one(value), one(key)]) as Tensor, referenceAttention(query, value, key, { score: (q, k) => 0.5 * dot(q, k) }).output);

    const concat = new Attention({ useScale: true, scoreMode: 'concat' });
    concat.maybeBuild([[null, 3, 3], [null, 4, 2], [null, 4, 3]]);
    concat.setWeights([tf.scalar(2), tf.scalar(-1.5)]);
    const concatScore = (q: number[], k: number[]) => -1.5 * q.reduce((s, x, i) => s + Math.tanh(2 * (x + k[i])), 0);
    expectMatrix(concat.apply([one(query), one(value), one(key)]) as Tensor, referenceAttention(query, value, key, { score: concatScore }).output);
  });

  test('value mask, query mask and causal mask, as Keras 3 applies them', () => {
    const layer = new Attention();
    const valueMask = [true, false, true, false];
    const queryMask = [true, true, false];
    const masks = [tf.tensor2d([queryMask], [1, 3], 'bool'), tf.tensor2d([valueMask], [1, 4], 'bool')];
    const [output, weights] = layer.apply([one(query), one(value), one(key)], { mask: masks, returnAttentionScores: true }) as Tensor[];
    const reference = referenceAttention(query, value, key, { score: dot, valueMask, queryMask });
    expectMatrix(output, reference.output);
    expectMatrix(weights, reference.weights);
    // The output's mask is the query's.
    expect((layer.computeMask([], masks) as Tensor).arraySync()).toEqual([queryMask.map(Number)]);

    const causal = layer.apply([one(query), one(value), one(key)], { useCausalMask: true, mask: [null, masks[1]] as Tensor[] }) as Tensor;
    expectMatrix(causal, referenceAttention(query, value, key, { score: dot, valueMask, causal: true }).output);
    // Keras 2 wrote `causal` into the config: every call is then causal.
    const keras2 = new Attention({ causal: true });
    expectMatrix(keras2.apply([one(query), one(value), one(key)]) as Tensor, referenceAttention(query, value, key, { score: dot, causal: true }).output);
    expect(keras2.getConfig().causal).toBe(true);
    expect(new Attention().getConfig()).not.toHaveProperty('causal');
  });

  test('gradients of both score modes match finite differences, masks included', () => {
    const q = tf.randomNormal([2, 3, 4], 0, 0.5, 'float32', 4);
    const v = tf.randomNormal([2, 5, 3], 0, 0.5, 'float32', 5);
    const k = tf.randomNormal([2, 5, 4], 0, 0.5, 'float32', 6);
    const valueMask = tf.tensor2d([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], [2, 5], 'bool');
    for (const scoreMode of ['dot', 'concat'] as const) {
      const layer = new Attention({ useScale: true, scoreMode });
      layer.maybeBuild([[null, 3, 4], [null, 5, 3], [null, 5, 4]]);
      layer.setWeights(scoreMode === 'dot' ? [tf.scalar(0.7)] : [tf.scalar(0.7), tf.scalar(1.3)]);
      checkLayerGradients(layer, [q, v, k], { callArgs: { mask: [null, valueMask] as Tensor[], useCausalMask: true, returnAttentionScores: true } });
    }
  });

  test('dropout drops attention weights in training only, each kept weight scaled by 1 / (1 - rate)', () => {
    const layer = new Attention({ dropout: 0.5, seed: 3 });
    const inputs = [one(query), one(value), one(key)];
    const [, clean] = layer.apply(inputs, { returnAttentionScores: true }) as Tensor[];
    const [, dropped] = layer.apply(inputs, { returnAttentionScores: true, training: true }) as Tensor[];
    const cleanValues = clean.dataSync();
    const droppedValues = Array.from(dropped.dataSync());
    droppedValues.forEach((d, i) => expect(d === 0 || Math.abs(d - 2 * cleanValues[i]) < 1e-6).toBe(true));
    expect(droppedValues.filter((d) => d === 0).length).toBeGreaterThan(0);
    expect(droppedValues.filter((d) => d !== 0).length).toBeGreaterThan(0);
  });

  test('in a model, the call options are saved with the call and read back', () => {
    const q = input({ shape: [3, 4] });
    const v = input({ shape: [5, 4] });
    const [context, scores] = new Attention({ name: 'attend' }).apply([q, v], { returnAttentionScores: true, useCausalMask: true }) as SymbolicTensor[];
    expect(scores.shape).toEqual([null, 3, 5]);
    const m = model({ inputs: [q, v], outputs: [context, scores] });
    const json = modelToKerasConfig(m, { dialect: 'keras3' }) as { config: { layers: { name: string; inbound_nodes: { kwargs: unknown }[] }[] } };
    const node = json.config.layers.find((l) => l.name === 'attend')!.inbound_nodes[0];
    expect(node.kwargs).toEqual({ return_attention_scores: true, use_causal_mask: true });
    const back = modelFromJSON(JSON.stringify(json));
    expect(back.outputs.map((t) => t.shape)).toEqual([[null, 3, 4], [null, 3, 5]]);
  });

  test('wrong inputs and options get clear errors', () => {
    const layer = new Attention();
    expect(() => layer.apply(one(query))).toThrow(/expects a list of inputs \[query, value\] or \[query, value, key\]/);
    expect(() => layer.apply([one(query), one(value)])).toThrow(/query and key must have the same number of features/);
    expect(() => layer.apply([one(query), one(value), tf.ones([1, 3, 3])])).toThrow(/value and key must have the same number of steps/);
    expect(() => layer.apply([one(query), one(value), one(key)], { returnAttentionScores: 'yes' })).toThrow(/returnAttentionScores must be true or false/);
    expect(() => new Attention({ scoreMode: 'additive' as never })).toThrow(/scoreMode: expected "dot" or "concat"/);
  });
});
