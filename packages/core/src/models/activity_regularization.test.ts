import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import type { SymbolicTensor } from '../engine/symbolic';
import { Dense } from '../layers/core/dense';
import { model } from './model';

/**
 * Activity penalties belong to the training loss: loss = data loss + l2 * sum(activity^2) (Keras 3 adds
 * the regularizer's value as is, without dividing by the batch size).
 */
describe('activity regularization in training', () => {
  beforeEach(() => resetNameCounters());

  function build(l2: number) {
    const x = input({ shape: [3] });
    const hiddenLayer = new Dense({ units: 2, activityRegularizer: { className: 'L2', config: { l2 } }, kernelInitializer: 'glorotUniform' });
    const hidden = hiddenLayer.apply(x) as SymbolicTensor;
    const out = new Dense({ units: 1 }).apply(hidden) as SymbolicTensor;
    const m = model({ inputs: x, outputs: out });
    m.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.05 } }, loss: 'meanSquaredError' });
    m.setWeights([
      tf.tensor2d([[0.5, -1], [2, 0.25], [-0.5, 1.5]]), tf.tensor1d([0.1, -0.2]),
      tf.tensor2d([[1], [-0.5]]), tf.tensor1d([0.3]),
    ]);
    return m;
  }

  const xs = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2], [0, -2, 1], [2, 1, -1]]);
  const ys = tf.tensor2d([[1], [0], [-1], [2]]);

  /** The loss by hand, from the weights as they are now. */
  function lossByHand(weights: tf.Tensor[], l2: number): number {
    return tf.tidy(() => {
      const [k1, b1, k2, b2] = weights;
      const h = xs.matMul(k1).add(b1);
      const y = h.matMul(k2).add(b2);
      const dataLoss = y.sub(ys).square().mean();
      return dataLoss.add(h.square().sum().mul(l2)).dataSync()[0];
    });
  }

  test('trainOnBatch reports data loss + penalty, and fit trains on it', async () => {
    const l2 = 0.3;
    const m = build(l2);
    const before = m.getWeights();
    const expected = lossByHand(before, l2);
    const reported = m.trainOnBatch(xs, ys) as number;
    expect(reported).toBeCloseTo(expected, 5);
    // The penalty is not a constant added afterwards: the step followed its gradient too. Compare the
    // update with one SGD step on the loss by hand.
    const grads = tf.grads((k1: tf.Tensor, b1: tf.Tensor, k2: tf.Tensor, b2: tf.Tensor) => tf.tidy(() => {
      const h = xs.matMul(k1).add(b1);
      return h.matMul(k2).add(b2).sub(ys).square().mean().add(h.square().sum().mul(l2)) as tf.Scalar;
    }))(before);
    const after = m.getWeights();
    after.forEach((w, i) => {
      const stepped = before[i].sub(grads[i].mul(0.05));
      expect(w.sub(stepped).abs().max().dataSync()[0]).toBeLessThan(1e-5);
      stepped.dispose();
    });
    // fit's logged loss is the same quantity (one batch, one epoch: the loss before the update).
    const next = lossByHand(after, l2);
    const history = await m.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0, shuffle: false });
    expect((history.history.loss as number[])[0]).toBeCloseTo(next, 5);
    tf.dispose([...before, ...after, ...grads]);
    m.dispose();
  });

  test('evaluation counts the penalty too (Keras 3); no tensors leak across steps', () => {
    const m = build(0.3);
    const weights = m.getWeights();
    expect(m.testOnBatch(xs, ys) as number).toBeCloseTo(lossByHand(weights, 0.3), 5);
    m.trainOnBatch(xs, ys);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) m.trainOnBatch(xs, ys);
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose(weights);
    m.dispose();
  });
});

describe('activity regularization: every call of a layer counts, once per forward pass', () => {
  beforeEach(() => resetNameCounters());

  test('a layer shared by two branches adds both penalties; a nested model passes them on', () => {
    const l1 = 0.5;
    const a = input({ shape: [2] });
    const b = input({ shape: [2] });
    const shared = new Dense({ units: 2, useBias: false, activityRegularizer: { className: 'L1', config: { l1 } } });
    const outA = shared.apply(a) as SymbolicTensor;
    const outB = shared.apply(b) as SymbolicTensor;
    const inner = model({ inputs: [a, b], outputs: [outA, outB] });
    shared.setWeights([tf.tensor2d([[1, -2], [0.5, 1]])]);
    const xa = tf.tensor2d([[1, 2]]);
    const xb = tf.tensor2d([[-3, 1]]);
    const penalty = (x: tf.Tensor) => tf.tidy(() => x.matMul(tf.tensor2d([[1, -2], [0.5, 1]])).abs().sum().mul(l1).dataSync()[0]);
    const expected = penalty(xa) + penalty(xb);
    const sumLosses = (ls: tf.Tensor[]) => ls.reduce((s, t) => s + t.dataSync()[0], 0);

    tf.dispose(inner.callWithMasks([xa, xb], { training: true }).outputs);
    expect(sumLosses(inner.losses)).toBeCloseTo(expected, 5);
    // A second forward pass replaces the penalties of the first (they do not pile up).
    tf.dispose(inner.callWithMasks([xa, xb], { training: true }).outputs);
    expect(sumLosses(inner.losses)).toBeCloseTo(expected, 5);

    // The same model used as a layer of an outer model.
    const c = input({ shape: [2] });
    const d = input({ shape: [2] });
    const outer = model({ inputs: [c, d], outputs: inner.apply([c, d]) as SymbolicTensor[] });
    tf.dispose(outer.callWithMasks([xb, xb], { training: true }).outputs);
    expect(sumLosses(outer.losses)).toBeCloseTo(2 * penalty(xb), 5);
    outer.dispose();
  });

  test('evaluate after training reports the penalty of its own forward pass, not one left from training', () => {
    const x = input({ shape: [1] });
    const layer = new Dense({ units: 1, useBias: false, kernelInitializer: 'ones', activityRegularizer: { className: 'L2', config: { l2: 1 } } });
    const m = model({ inputs: x, outputs: layer.apply(x) as SymbolicTensor });
    m.compile({ optimizer: { className: 'SGD', config: { learningRate: 0 } }, loss: 'meanSquaredError' });
    const big = tf.tensor2d([[10]]);
    const small = tf.tensor2d([[1]]);
    // Training on the big input leaves a penalty of 100 from its forward pass...
    expect(m.trainOnBatch(big, tf.tensor2d([[10]])) as number).toBeCloseTo(100, 4);
    // ...which must not leak into the evaluation of the small one: 0 data loss + 1 * 1^2 (Keras counts
    // activity penalties in evaluation losses too).
    expect(m.testOnBatch(small, tf.tensor2d([[1]])) as number).toBeCloseTo(1, 5);
    m.dispose();
  });
});
