import * as tf from '@tensorflow/tfjs';
import { compileModel } from './compile_args';
import { trainOnBatch, testOnBatch, predictOnBatch } from './batch_methods';
import { SGD } from './optimizers/sgd';
import { LinearModel, SequenceModel, SoftmaxModel, TwoHeadModel } from './__tests__/fake_models';

const x = [[1], [2]];
const y = [[1], [2]];

describe('trainOnBatch: one SGD step by hand', () => {
  it('returns the loss before the update and moves the weights by -lr * gradient', () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    // Predictions 0: loss = (1 + 4) / 2 = 2.5; dL/dw = mean(2 (wx - y) x) = (-2 - 8) / 2 = -5; dL/db = (-2 - 4) / 2 = -3.
    expect(trainOnBatch(model, x, y)).toBeCloseTo(2.5, 6);
    expect(model.kernel.val.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(model.bias.val.dataSync()[0]).toBeCloseTo(0.3, 6);
    model.dispose();
  });

  it('applies constraints after the update', () => {
    const clip = { apply: (w: tf.Tensor) => tf.clipByValue(w, -0.2, 0.2) };
    const model = new LinearModel([[0]], [0], { constraint: clip });
    compileModel(model, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    trainOnBatch(model, x, y);
    expect(model.kernel.val.dataSync()[0]).toBeCloseTo(0.2, 6);
    model.dispose();
  });

  it('adds regularization losses from model.losses to the loss and its gradient', () => {
    const model = new LinearModel([[1]], [0]);
    model.penalties = [() => model.kernel.val.square().sum().mul(0.5)];
    compileModel(model, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    // Predictions equal targets: data loss 0, penalty 0.5 * 1^2; gradient of the penalty = w = 1.
    expect(trainOnBatch(model, x, y)).toBeCloseTo(0.5, 6);
    expect(model.kernel.val.dataSync()[0]).toBeCloseTo(0.9, 6);
    model.dispose();
  });
});

describe('sampleWeight and classWeight change the loss as computed by hand', () => {
  it('per-sample weights', () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    // Squared errors 1 and 4.
    expect(testOnBatch(model, x, y)).toBeCloseTo(2.5, 6);
    expect(testOnBatch(model, x, y, { sampleWeight: [3, 0.5] })).toBeCloseTo((3 + 2) / 2, 6);
    model.dispose();
  });

  it('class weights are read from one-hot, sparse and binary labels', () => {
    // Uniform softmax over 2 classes: every sample's cross-entropy is log 2.
    const model = new SoftmaxModel([[0, 0]], [0, 0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'categorical_crossentropy' });
    const inputs = [[1], [1], [1]];
    const onehot = [[1, 0], [0, 1], [0, 1]];
    expect(trainOnBatch(model, inputs, onehot, { classWeight: { 0: 1, 1: 4 } })).toBeCloseTo((Math.log(2) * (1 + 4 + 4)) / 3, 5);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy' });
    expect(trainOnBatch(model, inputs, [0, 1, 1], { classWeight: { 1: 0.5 } })).toBeCloseTo((Math.log(2) * (1 + 0.5 + 0.5)) / 3, 5);
    expect(() => trainOnBatch(model, inputs, [0, 1, 1], { classWeight: { 1: 2 }, sampleWeight: [1, 1, 1] })).toThrow(/cannot be used together/);
    model.dispose();
    // Binary labels [B, 1]: predictions 0.5, squared errors 0.25 each; class 0 weighs 2.
    const binary = new LinearModel([[0]], [0.5]);
    compileModel(binary, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    expect(trainOnBatch(binary, inputs, [[0], [1], [1]], { classWeight: { 0: 2 } })).toBeCloseTo((0.5 + 0.25 + 0.25) / 3, 6);
    binary.dispose();
  });

  it('per-timestep class weights for sequence labels, with the mask', () => {
    // kernel 0: uniform softmax is not needed; use mse on a [B, T, 1] output with per-step labels 0/1.
    const model = new SequenceModel([[0]]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    // Output 0 everywhere; targets [[1, 0, 1]] -> squared errors [1, 0, 1]; the third step is padding.
    const xs = tf.tensor3d([[[1], [1], [0]]]);
    const ys = tf.tensor3d([[[1], [0], [1]]]);
    expect(trainOnBatch(model, xs, ys, { classWeight: { 1: 3 } })).toBeCloseTo((3 + 0) / 2, 6);
    model.dispose();
  });
});

describe('padded and unpadded batches', () => {
  it('give the same loss and the same update', () => {
    const a = new SequenceModel([[0.5]]);
    const b = new SequenceModel([[0.5]]);
    compileModel(a, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    compileModel(b, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const unpadded = trainOnBatch(a, tf.tensor3d([[[1], [2]]]), tf.tensor3d([[[1], [3]]])) as number;
    // The same sequence padded with two zero steps (masked), whose targets are garbage.
    const padded = trainOnBatch(b, tf.tensor3d([[[1], [2], [0], [0]]]), tf.tensor3d([[[1], [3], [9], [-9]]])) as number;
    expect(padded).toBeCloseTo(unpadded, 6);
    expect(unpadded).toBeCloseTo((0.25 + 4) / 2, 6);
    expect(b.kernel.val.dataSync()[0]).toBeCloseTo(a.kernel.val.dataSync()[0], 6);
    a.dispose();
    b.dispose();
  });
});

describe('several outputs', () => {
  it('per-output losses, loss weights, metric names', () => {
    const model = new TwoHeadModel([[1]], [[2]]);
    compileModel(model, { optimizer: 'sgd', loss: { a: 'mse', b: 'mae' }, lossWeights: { b: 2 }, metrics: ['mse'] });
    // x = [[1], [2]]: a = [1, 2] vs targets [0, 0] -> mse 2.5; b = [2, 4] vs [0, 0] -> mae 3.
    const logs = testOnBatch(model, x, { a: [[0], [0]], b: [[0], [0]] }, { returnDict: true }) as Record<string, number>;
    expect(Object.keys(logs)).toEqual(['loss', 'a_loss', 'b_loss', 'a_mse', 'b_mse']);
    expect(logs.a_loss).toBeCloseTo(2.5, 6);
    expect(logs.b_loss).toBeCloseTo(3, 6);
    expect(logs.loss).toBeCloseTo(2.5 + 2 * 3, 6);
    expect(logs.b_mse).toBeCloseTo(10, 6);
    expect(testOnBatch(model, x, [[[0], [0]], [[0], [0]]])).toEqual([logs.loss, logs.a_loss, logs.b_loss, logs.a_mse, logs.b_mse]);
    model.dispose();
  });
});

describe('return values', () => {
  it('a scalar with only a loss, a list with metrics; predictOnBatch gives the outputs', () => {
    const model = new LinearModel([[2]], [1]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const r = testOnBatch(model, x, y) as number[];
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo((4 + 9) / 2, 6);
    expect(r[1]).toBeCloseTo(2.5, 6);
    const out = predictOnBatch(model, x) as tf.Tensor;
    expect(Array.from(out.dataSync())).toEqual([3, 5]);
    out.dispose();
    model.dispose();
  });

  it('explains a missing compile and mismatched data', () => {
    const model = new LinearModel([[1]], [0]);
    expect(() => trainOnBatch(model, x, y)).toThrow(/must be compiled first/);
    compileModel(model, { loss: 'mse' });
    expect(() => trainOnBatch(model, x, [[1], [2], [3]])).toThrow(/y has 3 samples but x has 2; all arrays/);
    expect(() => trainOnBatch(model, new Float32Array([1, 2]), y)).toThrow(/typed array/);
    model.dispose();
  });
});
