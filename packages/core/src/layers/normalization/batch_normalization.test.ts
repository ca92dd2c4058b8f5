import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { compileModel } from '../../training/compile_args';
import { fitModel } from '../../training/fit';
import { runLayerTest } from '../../testing';
import { Dense } from '../core/dense';
import { BatchNormalization } from './batch_normalization';

const values = (t: Tensor) => Array.from(t.dataSync());
const weightValues = (layer: BatchNormalization) => layer.weights.map((w) => values(w.read()));

describe('BatchNormalization', () => {
  test('training: batch statistics, moving averages updated; inference: moving statistics (hand-computed)', () => {
    const layer = new BatchNormalization({ momentum: 0.9 });
    const x = tf.tensor2d([[1, 10], [3, 30]]); // means 2 and 20, variances 1 and 100
    const trained = layer.apply(x, { training: true }) as Tensor;
    values(trained).forEach((v, i) => expect(v).toBeCloseTo([-1 / Math.sqrt(1.001), -10 / Math.sqrt(100.001), 1 / Math.sqrt(1.001), 10 / Math.sqrt(100.001)][i], 5));
    expect(weightValues(layer).map((w) => w.map((v) => Number(v.toFixed(5))))).toEqual([[1, 1], [0, 0], [0.2, 2], [1, 10.9]]);
    const inferred = layer.apply(x) as Tensor;
    values(inferred).forEach((v, i) => expect(v).toBeCloseTo([(1 - 0.2) / Math.sqrt(1.001), (10 - 2) / Math.sqrt(10.901), (3 - 0.2) / Math.sqrt(1.001), (30 - 2) / Math.sqrt(10.901)][i], 5));
    expect(weightValues(layer)[2]).toEqual([0.2, 2].map((v) => expect.closeTo(v, 6)));
  });

  test('a mask leaves masked steps out of the batch statistics and passes through', () => {
    const layer = new BatchNormalization({ momentum: 0, center: false, scale: false, epsilon: 1e-6 });
    const x = tf.tensor3d([[[1], [3], [100]], [[5], [-50], [7]]]);
    const mask = tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool');
    layer.apply(x, { training: true, mask });
    // Kept steps 1, 3, 5, 7: mean 4, variance 5 (Keras divides by count + 1e-7).
    expect(values(layer.movingMean!.read())[0]).toBeCloseTo(4, 5);
    expect(values(layer.movingVariance!.read())[0]).toBeCloseTo(5, 5);
    expect(layer.computeMask(x, mask)).toBe(mask);
    expect(() => layer.apply(x, { training: true, mask: tf.ones([2, 3, 1]) })).toThrow(/the mask \[2, 3, 1\] must have one axis less than the inputs/);
  });

  test('a frozen layer normalizes with its moving statistics even in training (Keras 3)', () => {
    const layer = new BatchNormalization();
    const x = tf.tensor2d([[1], [3]]);
    layer.apply(x);
    layer.trainable = false;
    const y = layer.apply(x, { training: true }) as Tensor;
    values(y).forEach((v, i) => expect(v).toBeCloseTo([1, 3][i] / Math.sqrt(1.001), 5));
    expect(weightValues(layer)[2]).toEqual([0]);
    expect(layer.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
  });

  test('another axis (channels first)', () => {
    const layer = new BatchNormalization({ axis: 1, momentum: 0 });
    layer.apply(tf.tensor3d([[[1, 3], [10, 10]], [[5, 7], [20, 20]]]), { training: true });
    expect(weightValues(layer)[2]).toEqual([4, 15]);
    expect(weightValues(layer)[3]).toEqual([5, 25]);
  });

  test('fit updates the moving statistics; evaluate and predict do not', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 3, inputShape: [4] }), new BatchNormalization({ name: 'bn' })] });
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    const x = tf.randomNormal([16, 4], 2, 1, 'float32', 1);
    const y = tf.randomNormal([16, 3], 0, 1, 'float32', 2);
    const bn = model.getLayer('bn') as BatchNormalization;
    const before = values(bn.movingMean!.read());
    await fitModel(model, x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const after = values(bn.movingMean!.read());
    expect(after).not.toEqual(before);
    tf.dispose(model.predict(x) as Tensor);
    await model.evaluate(x, y, { verbose: 0 });
    expect(values(bn.movingMean!.read())).toEqual(after);
    const numTensors = tf.memory().numTensors;
    await fitModel(model, x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(tf.memory().numTensors).toBe(numTensors);
    tf.dispose([x, y]);
  });

  test('passes the shared layer test in inference and in training, with non-trivial statistics', () => {
    const make = (args: ConstructorParameters<typeof BatchNormalization>[0]) => () => new BatchNormalization({
      movingMeanInitializer: { className: 'RandomNormal', config: { mean: 0, stddev: 1, seed: 3 } },
      movingVarianceInitializer: { className: 'RandomUniform', config: { minval: 0.5, maxval: 2, seed: 4 } },
      gammaInitializer: { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5, seed: 5 } },
      betaInitializer: { className: 'RandomNormal', config: { mean: 0, stddev: 1, seed: 6 } }, name: 'bn', ...args,
    });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const mask = { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' as const };
    const statistics = ['moving_mean', 'moving_variance'];
    runLayerTest({ make: make({}), input: x, expectedOutputShape: [2, 3, 4], expectedWeights: ['gamma', 'beta', ...statistics], expectedNonTrainableWeights: 2, supportsMasking: true, mask });
    // In training the output depends on the batch statistics, and so do its gradients.
    runLayerTest({ make: make({ momentum: 0.5 }), input: x, training: true, expectedOutputShape: [2, 3, 4], expectedNonTrainableWeights: 2, mask });
    runLayerTest({ make: make({ center: false }), input: x, expectedOutputShape: [2, 3, 4], expectedWeights: ['gamma', ...statistics], expectedNonTrainableWeights: 2, mask });
    // tfjs 4.22 applies the statistics along the last axis whatever the axis.
    runLayerTest({
      make: make({ axis: 1 }), input: x, expectedOutputShape: [2, 3, 4], expectedNonTrainableWeights: 2, mask,
      unsupportedDialects: { tfjs: /axis: BatchNormalization 'bn' cannot be written for TensorFlow.js: TensorFlow.js normalizes correctly only over the last axis/ },
    });
  });

  test("Keras 2's axis as a list and Keras 3's extra keys load; renorm and virtual batches are refused", () => {
    const config = (extra: Record<string, unknown>, version: string) => JSON.stringify({
      class_name: 'Sequential', keras_version: version,
      config: { name: 's', layers: [{ class_name: 'BatchNormalization', config: { name: 'bn', batch_input_shape: [null, 5, 3], axis: [2], momentum: 0.9, epsilon: 0.001, ...extra } }] },
    });
    const m = modelFromJSON(config({ fused: null }, '2.13.1'));
    expect((m.layers[0] as BatchNormalization).axis).toBe(2);
    expect(modelFromJSON(config({ synchronized: false, renorm: false, renorm_clipping: null, renorm_momentum: 0.99 }, '3.3.3')).layers[0].getConfig().momentum).toBe(0.9);
    expect(() => modelFromJSON(config({ renorm: true }, '2.13.1'))).toThrow(/layers\[0\]\.config\.renorm: batch renormalization \(renorm=true\) is not supported/);
    expect(() => modelFromJSON(config({ virtual_batch_size: 4 }, '2.13.1'))).toThrow(/virtual_batch_size: ghost batch normalization \(virtual_batch_size\) is not supported/);
    const channelsFirst = new Sequential({ layers: [new BatchNormalization({ axis: 1, name: 'b', inputShape: [3, 4] })] });
    expect(() => modelToJSON(channelsFirst, { dialect: 'tfjs' })).toThrow(/axis: BatchNormalization 'b' cannot be written for TensorFlow.js: TensorFlow.js normalizes correctly only over the last axis/);
    expect(() => new BatchNormalization({ axis: [1, 2] as never })).toThrow(/BatchNormalization: axis: expected an integer \(one axis\)/);
    expect(() => new BatchNormalization({ momentum: 2 })).toThrow(/momentum: expected a number in \[0, 1\], got 2/);
  });
});
