import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { LeakyReLU } from './leaky_relu';

const sequential = (config: Record<string, unknown>, kerasVersion: string) => JSON.stringify({
  class_name: 'Sequential', keras_version: kerasVersion,
  config: { name: 's', layers: [{ class_name: 'LeakyReLU', config: { name: 'leaky', batch_input_shape: [null, 3], ...config } }] },
});

describe('LeakyReLU', () => {
  test("Keras's example: negative_slope=0.5 on [-10, -5, 0, 5, 10] gives [-5, -2.5, 0, 5, 10]; the default slope is 0.3", () => {
    const x = tf.tensor2d([[-10, -5, 0, 5, 10]]);
    expect(Array.from((new LeakyReLU({ negativeSlope: 0.5 }).apply(x) as Tensor).dataSync())).toEqual([-5, -2.5, 0, 5, 10]);
    expect(Array.from((new LeakyReLU().apply(x) as Tensor).dataSync())).toEqual([-3, -1.5, 0, 5, 10]);
  });

  test("Keras 2's and tfjs's `alpha` and Keras 3's `negative_slope` both load", () => {
    expect((modelFromJSON(sequential({ alpha: 0.1 }, '2.13.1')).layers[0] as LeakyReLU).negativeSlope).toBe(0.1);
    expect((modelFromJSON(sequential({ negative_slope: 0.2 }, '3.3.3')).layers[0] as LeakyReLU).negativeSlope).toBe(0.2);
    expect(new LeakyReLU({ alpha: 0.4, negativeSlope: 0.2 }).negativeSlope).toBe(0.4);
  });

  test('passes the shared layer test (written as alpha for tfjs, which reads the slope)', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    runLayerTest({
      make: () => new LeakyReLU({ negativeSlope: 0.15, name: 'leaky' }), input: x, expectedOutputShape: [2, 3, 4], expectedOutput: tf.leakyRelu(x, 0.15),
      expectedWeights: [], supportsMasking: true, mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' },
    });
  });
});
