import * as tf from '@tensorflow/tfjs';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { runLayerTest } from '../../testing';
import { ELU } from './elu';

describe('ELU', () => {
  test('x above 0, alpha * (exp(x) - 1) below (hand-computed)', () => {
    const x = tf.tensor2d([[-2, -1, 0, 3]]);
    const expected = (alpha: number) => [alpha * (Math.exp(-2) - 1), alpha * (Math.exp(-1) - 1), 0, 3];
    Array.from((new ELU().apply(x) as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected(1)[i], 6));
    Array.from((new ELU({ alpha: 0.5 }).apply(x) as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected(0.5)[i], 6));
  });

  test('passes the shared layer test; alpha other than 1 in Keras 3 only', () => {
    const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 1);
    const mask = { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' as const };
    runLayerTest({ make: () => new ELU({ name: 'elu' }), input: x, expectedOutputShape: [2, 3, 2], expectedOutput: tf.elu(x), expectedWeights: [], supportsMasking: true, mask });
    runLayerTest({
      make: () => new ELU({ alpha: 2, name: 'elu' }), input: x, expectedOutputShape: [2, 3, 2], mask,
      unsupportedDialects: { tfjs: /alpha: ELU 'elu' cannot be written for TensorFlow.js: TensorFlow.js's ELU only computes alpha = 1/ },
    });
  });

  test('tfjs computes only alpha = 1', () => {
    const m = new Sequential({ layers: [new ELU({ alpha: 2, name: 'e', inputShape: [3] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/alpha: ELU 'e' cannot be written for TensorFlow.js: TensorFlow.js's ELU only computes alpha = 1/);
  });
});
