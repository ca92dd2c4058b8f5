/**
 * Categorical cross-entropy of a softmax output, computed from its logits in training and evaluation
 * (Keras's TensorFlow backend: the softmax activation keeps `_keras_logits` on its output).
 */
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../../models/sequential';
import { Dense } from '../../layers/core/dense';
import { SimpleRNN } from '../../layers/rnn/simple_rnn';
import { setSeed } from '../../engine/random';
import { SGD } from '../optimizers/sgd';
import { CategoricalCrossentropy, SparseCategoricalCrossentropy, categoricalCrossentropy, categoricalCrossentropyOfSoftmax } from './crossentropy';
import type { Loss } from './loss';
import { softmaxLastAxis } from '@recurrent/kernels';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function denseModel(loss: string | Loss, weightScale = 0.5): Sequential {
  setSeed(3);
  const model = new Sequential({ layers: [new Dense({ units: 5, activation: 'softmax', inputShape: [4] })] });
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss });
  const [kernel, bias] = model.getWeights();
  model.setWeights([kernel.mul(weightScale / 0.5), tf.tensor1d([0.1, -0.2, 0.3, 0, -0.1])]);
  tf.dispose([kernel, bias]);
  return model;
}

const x = tf.tensor2d([[1, -2, 0.5, 3], [0, 1, -1, 2], [2, 2, -0.5, -1]]);
const y = tf.tensor2d([[0, 1, 0, 0, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]]);

/** One SGD step on the loss -mean(sum(y * logSoftmax(x W + b))) written with plain tfjs ops. */
function referenceStep(kernel: tf.Tensor, bias: tf.Tensor, lr: number, smoothing = 0): { loss: number; kernel: Float32Array; bias: Float32Array } {
  return tf.tidy(() => {
    const target = smoothing > 0 ? y.mul(1 - smoothing).add(smoothing / 5) : y;
    const lossOf = (k: tf.Tensor, b: tf.Tensor) => tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(tf.add(tf.matMul(x, k), b), -1)), -1)));
    const { value, grads } = tf.valueAndGrads(lossOf)([kernel, bias]);
    return {
      loss: value.dataSync()[0],
      kernel: kernel.sub(grads[0].mul(lr)).dataSync() as Float32Array,
      bias: bias.sub(grads[1].mul(lr)).dataSync() as Float32Array,
    };
  });
}

describe('categorical cross-entropy of a softmax output, from its logits', () => {
  test.each([['the name', 'categorical_crossentropy', 0], ["Keras's 'crossentropy'", 'crossentropy', 0], ['label smoothing', 'smoothed', 0.1]])(
    'trainOnBatch (%s) equals one step on -sum(y * logSoftmax(logits)) as tfjs ops',
    (_what, lossName, smoothing) => {
      const loss = lossName === 'smoothed' ? new CategoricalCrossentropy({ labelSmoothing: smoothing as number }) : (lossName as string);
      const model = denseModel(loss);
      const [kernel, bias] = model.getWeights();
      const expected = referenceStep(kernel, bias, 0.1, smoothing as number);
      const before = tf.memory().numTensors;
      const value = model.trainOnBatch(x, y) as number;
      expect(tf.memory().numTensors).toBe(before);
      expect(Math.abs(value - expected.loss)).toBeLessThan(1e-6);
      const [k2, b2] = model.getWeights();
      expect(maxAbsDiff(k2.dataSync(), expected.kernel)).toBeLessThan(1e-6);
      expect(maxAbsDiff(b2.dataSync(), expected.bias)).toBeLessThan(1e-6);
      tf.dispose([kernel, bias, k2, b2]);
      model.dispose();
    },
  );

  test.each([['without', null], ['with', 2]])('sparse_categorical_crossentropy (%s ignoreClass) trains as the one-hot loss of the logits does', (_what, ignore) => {
    const ids = tf.tensor1d([1, 4, 0]); // no id equals 2: every row counts
    const loss = new SparseCategoricalCrossentropy({ ignoreClass: ignore as number | null });
    // Logits far apart: the probabilities' loss would be clipped, the logits' is not (on both sides).
    const sparseModel = denseModel(loss, 10);
    const denseModelOfIds = denseModel('categorical_crossentropy', 10);
    const before = tf.memory().numTensors;
    const a = sparseModel.trainOnBatch(x, ids) as number;
    const b = denseModelOfIds.trainOnBatch(x, y) as number;
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(a - b) / b).toBeLessThan(1e-6);
    const [ka] = sparseModel.getWeights();
    const [kb] = denseModelOfIds.getWeights();
    expect(maxAbsDiff(ka.dataSync(), kb.dataSync())).toBeLessThan(1e-6);
    tf.dispose([ids, ka, kb]);
    sparseModel.dispose();
    denseModelOfIds.dispose();
  });

  test('sparse with ignoreClass leaves the ignored rows out of loss and gradient', () => {
    const ids = tf.tensor1d([1, 4, 0]);
    const model = denseModel(new SparseCategoricalCrossentropy({ ignoreClass: 4 }));
    const [kernel, bias] = model.getWeights();
    // Rows 0 and 2 count; Keras's reduction divides by the number of kept targets.
    const expected = tf.tidy(() => {
      const lossOf = (k: tf.Tensor, b: tf.Tensor) => {
        const logp = tf.logSoftmax(tf.add(tf.matMul(x, k), b), -1);
        const picked = tf.sum(tf.mul(y, logp), -1).mul(tf.tensor1d([1, 0, 1]));
        return tf.div(tf.neg(tf.sum(picked)), 2);
      };
      const { value, grads } = tf.valueAndGrads(lossOf)([kernel, bias]);
      return { loss: value.dataSync()[0], kernel: kernel.sub(grads[0].mul(0.1)).dataSync() };
    });
    expect(Math.abs((model.trainOnBatch(x, ids) as number) - expected.loss)).toBeLessThan(1e-6);
    const [k2] = model.getWeights();
    expect(maxAbsDiff(k2.dataSync(), expected.kernel)).toBeLessThan(1e-6);
    tf.dispose([ids, kernel, bias, k2]);
    model.dispose();
  });

  test('where no probability reaches the clip, training and evaluation equal the loss of the probabilities within float rounding', async () => {
    const model = denseModel('categorical_crossentropy');
    const ofProbs = tf.tidy(() => tf.mean(categoricalCrossentropy(y, model.predict(x) as tf.Tensor)).dataSync()[0]);
    const evaluated = (await model.evaluate(x, y, { verbose: 0 })) as number;
    expect(Math.abs(evaluated - ofProbs)).toBeLessThan(1e-6);
    expect(Math.abs((model.trainOnBatch(x, y) as number) - ofProbs)).toBeLessThan(1e-6);
    model.dispose();
  });

  test('beyond the clip of the probabilities it trains on the true loss and gradient, as Keras does', () => {
    // Logits about 40 apart: the target's probability of the second row is far below 1e-7.
    const model = denseModel('categorical_crossentropy', 10);
    const [kernel, bias] = model.getWeights();
    const expected = referenceStep(kernel, bias, 0.1);
    const clippedLoss = tf.tidy(() => tf.mean(categoricalCrossentropy(y, model.predict(x) as tf.Tensor)).dataSync()[0]);
    expect(expected.loss).toBeGreaterThan(clippedLoss + 1); // the clip caps a row at -log(1e-7)
    const value = model.trainOnBatch(x, y) as number;
    expect(Math.abs(value - expected.loss) / expected.loss).toBeLessThan(1e-6);
    const [k2] = model.getWeights();
    expect(maxAbsDiff(k2.dataSync(), expected.kernel)).toBeLessThan(1e-4);
    tf.dispose([kernel, bias, k2]);
    model.dispose();
  });

  test('a SimpleRNN -> Dense(softmax) model trains with no tensor left behind, eager calls included', async () => {
    setSeed(5);
    const model = new Sequential({ layers: [new SimpleRNN({ units: 6, inputShape: [3, 4] }), new Dense({ units: 5, activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const xs = tf.randomUniform([3, 3, 4], -1, 1, 'float32', 9);
    model.trainOnBatch(xs, y);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) model.trainOnBatch(xs, y);
    await model.evaluate(xs, y, { verbose: 0 });
    // Outside the training engine the layer keeps nothing beyond its output.
    const ones = tf.ones([2, 6]);
    const out = model.layers[1].apply(ones) as tf.Tensor;
    tf.dispose([ones, out]);
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
  });

  test('CategoricalCrossentropy.compute takes the softmax logits when given, and not with fromLogits', () => {
    const logits = tf.tensor2d([[2, -1, 0.5, 0, 1], [0, 0, 3, -2, 1], [1, 1, 1, 1, 1]]);
    const probs = softmaxLastAxis(logits);
    const loss = new CategoricalCrossentropy();
    const fused = loss.compute(y, probs, { softmaxLogits: logits });
    const plain = loss.compute(y, probs);
    expect(Math.abs(fused.dataSync()[0] - plain.dataSync()[0])).toBeLessThan(1e-6);
    const direct = categoricalCrossentropyOfSoftmax(y, probs, logits);
    expect(direct.shape).toEqual([3]);
    // fromLogits: the predictions are the logits themselves, whatever made them.
    const asLogits = new CategoricalCrossentropy({ fromLogits: true });
    expect(asLogits.callWithSoftmaxLogits(y, probs, logits)).toBeNull();
    tf.dispose([logits, probs, fused, plain, direct]);
  });
});

afterAll(() => tf.dispose([x, y]));
