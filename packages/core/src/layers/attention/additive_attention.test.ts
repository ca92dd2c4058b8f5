import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { setSeed } from '../../engine/random';
import type { Tensor } from '../../engine/types';
import { checkLayerGradients, runLayerTest } from '../../testing';
import { AdditiveAttention } from './additive_attention';
import { expectMatrix, one, referenceAttention, type Matrix } from './__tests__/reference_attention';

const query: Matrix = [[1, 0], [0, 1], [0.3, -0.2]];
const value: Matrix = [[1, 2, 0], [3, 4, 1], [5, 6, -1], [-1, 0, 2]];
const key: Matrix = [[0.1, 0.2], [1, -1], [0, 2], [0.5, 0.5]];


describe('AdditiveAttention', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('passes the shared layer test, with and without the learned scale', () => {
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const v = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2);
    runLayerTest({
      make: () => new AdditiveAttention(),
      unsupportedDialects: { tfjs: /TensorFlow.js has no AdditiveAttention layer/ },
      input: [q, v],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: ['scale'],
      supportsMasking: true,
      mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 0]], [2, 3], 'bool'), expected: 'input' },
    });
    runLayerTest({
      make: () => new AdditiveAttention({ useScale: false, dropout: 0.2, seed: 4 }),
      unsupportedDialects: { tfjs: /TensorFlow.js has no AdditiveAttention layer/ },
      input: [q, v],
      callArgs: { returnAttentionScores: true },
      expectedOutputShape: [[2, 3, 4], [2, 3, 5]],
      expectedWeights: [],
    });
  });

  test('scores are sum(scale * tanh(query + key)) over the features (hand-computed reference)', () => {
    const layer = new AdditiveAttention();
    layer.maybeBuild([[null, 3, 2], [null, 4, 3], [null, 4, 2]]);
    expect(layer.weights[0].shape).toEqual([2]);
    layer.setWeights([tf.tensor1d([0.5, -2])]);
    const valueMask = [true, true, false, true];
    const [output, weights] = layer.apply([one(query), one(value), one(key)], {
      returnAttentionScores: true, mask: [null, tf.tensor2d([valueMask], [1, 4], 'bool')] as Tensor[],
    }) as Tensor[];
    const score = (q: number[], k: number[]) => q.reduce((s, x, i) => s + [0.5, -2][i] * Math.tanh(x + k[i]), 0);
    const reference = referenceAttention(query, value, key, { score, valueMask });
    expectMatrix(output, reference.output);
    expectMatrix(weights, reference.weights);

    const unscaled = new AdditiveAttention({ useScale: false });
    const plain = (q: number[], k: number[]) => q.reduce((s, x, i) => s + Math.tanh(x + k[i]), 0);
    expectMatrix(unscaled.apply([one(query), one(value), one(key)], { useCausalMask: true }) as Tensor,
      referenceAttention(query, value, key, { score: plain, causal: true }).output);
  });

  test('gradients match finite differences', () => {
    const layer = new AdditiveAttention();
    checkLayerGradients(layer, [
      tf.randomNormal([2, 3, 4], 0, 0.5, 'float32', 4), tf.randomNormal([2, 5, 3], 0, 0.5, 'float32', 5), tf.randomNormal([2, 5, 4], 0, 0.5, 'float32', 6),
    ], { callArgs: { mask: [tf.tensor2d([[1, 1, 0], [1, 1, 1]], [2, 3], 'bool'), null] as Tensor[] } });
  });

  test('its config has no score mode, as in Keras 3', () => {
    expect(new AdditiveAttention().getConfig()).not.toHaveProperty('scoreMode');
    expect(() => new AdditiveAttention({ scoreMode: 'dot' } as never)).toThrow(/unknown argument "scoreMode"/);
  });
});
