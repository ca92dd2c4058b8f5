import * as tf from '@tensorflow/tfjs';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { input } from '../../engine/input_layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import { Model } from '../../models/model';
import { Sequential } from '../../models/sequential';
import { Embedding } from '../core/embedding';
import { LSTM } from '../rnn/lstm';
import { runLayerTest } from '../../testing';
import { LayerNormalization } from './layer_normalization';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('LayerNormalization', () => {
  test("Keras's example: axis [1, 2, 3] on (5, 20, 30, 40) gives gamma and beta of shape (20, 30, 40)", () => {
    const layer = new LayerNormalization({ axis: [1, 2, 3] });
    layer.maybeBuild([5, 20, 30, 40]);
    expect(layer.weights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([['gamma', [20, 30, 40]], ['beta', [20, 30, 40]]]);
  });

  test('each sample to mean 0 and variance 1 over the features, then gamma and beta (hand-computed)', () => {
    const layer = new LayerNormalization();
    layer.maybeBuild([null, 3]);
    layer.setWeights([tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 0, 10])]);
    const y = layer.apply(tf.tensor2d([[1, 2, 3], [10, 10, 10]])) as Tensor;
    const s = Math.sqrt(2 / 3 + 1e-3);
    values(y).forEach((v, i) => expect(v).toBeCloseTo([-1 / s, 0, 10 + 3 / s, 0, 0, 10][i], 5));
  });

  test('over two axes; rms_scaling (x / sqrt(var + eps) * gamma); training changes nothing', () => {
    const x = tf.tensor3d([[[1, 2], [3, 6]]]);
    const both = new LayerNormalization({ axis: [-2, -1], epsilon: 0 });
    const mean = 3;
    const sd = Math.sqrt((4 + 1 + 0 + 9) / 4);
    values(both.apply(x) as Tensor).forEach((v, i) => expect(v).toBeCloseTo(([1, 2, 3, 6][i] - mean) / sd, 5));
    expect(both.weights.map((w) => w.shape)).toEqual([[2, 2], [2, 2]]);
    const rms = new LayerNormalization({ rmsScaling: true, epsilon: 0 });
    values(rms.apply(tf.tensor2d([[1, 3]])) as Tensor).forEach((v, i) => expect(v).toBeCloseTo([1, 3][i], 5));
    expect(rms.weights.map((w) => w.name.split('/')[1])).toEqual(['gamma']);
    const a = both.apply(x, { training: true }) as Tensor;
    const b = both.apply(x, { training: false }) as Tensor;
    expect(values(a)).toEqual(values(b));
  });

  test('between an Embedding with mask_zero and an LSTM, the mask still reaches the LSTM: padding changes nothing', () => {
    const embedding = new Embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const norm = new LayerNormalization();
    const lstm = new LSTM({ units: 3 });
    const ids = input({ shape: [null] });
    const m = new Model({ inputs: ids, outputs: lstm.apply(norm.apply(embedding.apply(ids) as SymbolicTensor) as SymbolicTensor) as SymbolicTensor });
    const padded = m.predict(tf.tensor2d([[3, 1, 4, 0, 0]])) as Tensor;
    const alone = m.predict(tf.tensor2d([[3, 1, 4]])) as Tensor;
    values(padded).forEach((v, i) => expect(v).toBeCloseTo(values(alone)[i], 5));
  });

  test('passes the shared layer test: one axis, two axes, no beta, rms_scaling', () => {
    const make = (args: ConstructorParameters<typeof LayerNormalization>[0]) => () => new LayerNormalization({
      gammaInitializer: { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5, seed: 1 } },
      betaInitializer: { className: 'RandomNormal', config: { mean: 0, stddev: 1, seed: 2 } }, name: 'norm', ...args,
    });
    const sequence = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const mask = { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' as const };
    const vectors = tf.randomNormal([2, 5], 0, 1, 'float32', 2);
    runLayerTest({ make: make({}), input: sequence, expectedOutputShape: [2, 3, 4], expectedWeights: ['gamma', 'beta'], supportsMasking: true, mask });
    runLayerTest({ make: make({ axis: [1, 2], epsilon: 1e-5 }), input: sequence, expectedOutputShape: [2, 3, 4], mask });
    runLayerTest({ make: make({ center: false }), input: vectors, expectedOutputShape: [2, 5], expectedWeights: ['gamma'] });
    runLayerTest({
      make: make({ rmsScaling: true, gammaConstraint: 'nonNeg' }), input: vectors, expectedOutputShape: [2, 5], expectedWeights: ['gamma'],
      unsupportedDialects: { tfjs: /gamma_constraint: .* has no gamma_constraint[\s\S]*rms_scaling: LayerNormalization 'norm' cannot be written for TensorFlow.js/ },
    });
  });

  test('errors: the batch axis, unknown sizes, what tfjs lacks', () => {
    expect(() => new LayerNormalization({ axis: 0 }).apply(tf.ones([2, 3]))).toThrow(/must have known sizes and not include the batch axis/);
    expect(() => new LayerNormalization({ axis: 2 }).apply(tf.ones([2, 3]))).toThrow(/axis 2 is out of range for inputs of rank 2/);
    expect(() => new LayerNormalization({ axis: [1, -1] }).maybeBuild([null, 3])).toThrow(/names an axis twice/);
    const m = new Sequential({ layers: [new LayerNormalization({ rmsScaling: true, name: 'n', inputShape: [3] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/rms_scaling: LayerNormalization 'n' cannot be written for TensorFlow.js/);
  });
});
