import * as tf from '@tensorflow/tfjs';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { runLayerTest } from '../../testing';
import { ReLU } from './relu';

const x = tf.tensor2d([[-10, -5, 0, 5, 10]]);
const out = (args: ConstructorParameters<typeof ReLU>[0], input: Tensor = x) => Array.from((new ReLU(args).apply(input) as Tensor).dataSync());

describe('ReLU', () => {
  test("Keras's example: max_value=10, negative_slope=0.5, threshold=0 gives [-5, -2.5, 0, 5, 10]", () => {
    expect(out({ maxValue: 10, negativeSlope: 0.5, threshold: 0 })).toEqual([-5, -2.5, 0, 5, 10]);
  });

  test('max_value, threshold and slope separately and together (hand-computed)', () => {
    expect(out({})).toEqual([0, 0, 0, 5, 10]);
    expect(out({ maxValue: 6 })).toEqual([0, 0, 0, 5, 6]);
    // Inputs at or below the threshold are 0; above, they pass unchanged.
    expect(out({ threshold: 5 })).toEqual([0, 0, 0, 0, 10]);
    // Below the threshold: slope * (x - threshold).
    expect(out({ threshold: 2, negativeSlope: 0.1, maxValue: 8 }, tf.tensor2d([[-3, 1, 2, 3, 9]]))).toEqual([-0.5, -0.1, 0, 3, 8].map((v) => expect.closeTo(v, 6)));
  });

  test('passes the shared layer test (inputs away from the kinks); negative_slope and threshold in Keras 3 only', () => {
    const input = tf.tensor3d([-2.5, -1.2, 0.7, 1.9, 3.3, 4.6, -0.4, 2.8], [2, 2, 2]);
    const mask = { input: tf.tensor2d([[1, 0], [1, 1]]).cast('bool'), expected: 'input' as const };
    runLayerTest({
      make: () => new ReLU({ maxValue: 3, name: 'r' }), input, expectedOutputShape: [2, 2, 2], expectedOutput: tf.tensor3d([0, 0, 0.7, 1.9, 3, 3, 0, 2.8], [2, 2, 2]),
      expectedWeights: [], supportsMasking: true, mask,
    });
    runLayerTest({
      make: () => new ReLU({ negativeSlope: 0.2, threshold: 1, name: 'r' }), input, expectedOutputShape: [2, 2, 2], mask,
      expectedOutput: tf.tensor3d([-0.7, -0.44, -0.06, 1.9, 3.3, 4.6, -0.28, 2.8], [2, 2, 2]),
      unsupportedDialects: { tfjs: /negative_slope: ReLU 'r' cannot be written for TensorFlow.js[\s\S]*threshold: ReLU 'r' cannot be written for TensorFlow.js: TensorFlow.js's ReLU has no threshold/ },
    });
  });

  test('tfjs has no negative_slope or threshold; negative values are refused', () => {
    const m = new Sequential({ layers: [new ReLU({ negativeSlope: 0.2, name: 'r', inputShape: [3] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/negative_slope: ReLU 'r' cannot be written for TensorFlow.js/);
    expect(() => new ReLU({ maxValue: -1 })).toThrow(/ReLU: maxValue: expected a number >= 0, got -1/);
    expect(() => new ReLU({ threshold: -1 })).toThrow(/ReLU: threshold: expected a number >= 0, got -1/);
  });
});
