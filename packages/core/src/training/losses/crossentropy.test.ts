import * as tf from '@tensorflow/tfjs';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('categoricalCrossentropy', () => {
  const yTrue = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);
  const yPred = tf.tensor2d([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);

  it('is -log of the probability of the true class (Keras docstring example)', () => {
    const v = values(categoricalCrossentropy(yTrue, yPred));
    expect(v[0]).toBeCloseTo(-Math.log(0.95), 5); // 0.0513
    expect(v[1]).toBeCloseTo(-Math.log(0.1), 5); // 2.3026
    expect(new CategoricalCrossentropy().compute(yTrue, yPred).dataSync()[0]).toBeCloseTo((-Math.log(0.95) - Math.log(0.1)) / 2, 5);
  });

  it('renormalises probabilities and clips zeros to 1e-7 under label smoothing', () => {
    // Targets become [0.1/3, 0.9 + 0.1/3, 0.1/3]; the 0 probability is clipped to 1e-7.
    const v = values(categoricalCrossentropy(yTrue, yPred, { labelSmoothing: 0.1 }));
    const s = 0.1 / 3;
    expect(v[0]).toBeCloseTo(-(s * Math.log(0.05) + (0.9 + s) * Math.log(0.95) + s * Math.log(1e-7)), 4);
    const unnormalised = categoricalCrossentropy(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.2, 0.6]]));
    expect(unnormalised.dataSync()[0]).toBeCloseTo(-Math.log(0.25), 5);
  });

  it('applies log-softmax to logits', () => {
    const v = categoricalCrossentropy(tf.tensor2d([[0, 0, 1]]), tf.tensor2d([[1, 2, 3]]), { fromLogits: true });
    expect(v.dataSync()[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 5); // 0.4076
  });

  it('reduces the class axis of sequences to [B, T]', () => {
    const v = categoricalCrossentropy(tf.tensor3d([[[1, 0], [0, 1]]]), tf.tensor3d([[[0.5, 0.5], [0.25, 0.75]]]));
    expect(v.shape).toEqual([1, 2]);
    expect(values(v)[1]).toBeCloseTo(-Math.log(0.75), 5);
  });

  it('names the fix when integer labels are given', () => {
    expect(() => categoricalCrossentropy(tf.tensor1d([1, 2]), yPred)).toThrow(/sparseCategoricalCrossentropy/);
  });
});

describe('sparseCategoricalCrossentropy', () => {
  const yPred = tf.tensor2d([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);

  it('matches the categorical loss for class ids, with [B] or [B, 1] targets', () => {
    for (const labels of [tf.tensor1d([1, 2]), tf.tensor2d([[1], [2]]), tf.tensor1d([1, 2], 'int32')]) {
      const v = values(sparseCategoricalCrossentropy(labels, yPred));
      expect(v[0]).toBeCloseTo(-Math.log(0.95), 5);
      expect(v[1]).toBeCloseTo(-Math.log(0.1), 5);
    }
  });

  it('renormalises probabilities that do not sum to one (softmax of log p)', () => {
    const v = sparseCategoricalCrossentropy(tf.tensor1d([0]), tf.tensor2d([[0.2, 0.2, 0.2]]));
    expect(v.dataSync()[0]).toBeCloseTo(Math.log(3), 5);
  });

  it('reads logits', () => {
    const v = sparseCategoricalCrossentropy(tf.tensor1d([2]), tf.tensor2d([[1, 2, 3]]), { fromLogits: true });
    expect(v.dataSync()[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 5);
  });

  it('leaves ignoreClass targets out of the mean', () => {
    // Sequence [B=1, T=2]: step 0 has class 1 (p = 0.5), step 1 is padding (class 0).
    const yTrue = tf.tensor2d([[1, 0]]);
    const probs = tf.tensor3d([[[0.5, 0.5], [0.9, 0.1]]]);
    const loss = new SparseCategoricalCrossentropy({ ignoreClass: 0 }).compute(yTrue, probs);
    expect(loss.dataSync()[0]).toBeCloseTo(-Math.log(0.5), 5);
  });

  it('explains mismatched shapes', () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor1d([0, 1, 2]), yPred)).toThrow(/expected targets of shape \[2\]/);
  });
});

describe('binaryCrossentropy', () => {
  it('averages the elementwise loss over the last axis (Keras docstring: [0.916, 0.714])', () => {
    const v = values(binaryCrossentropy(tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[0.6, 0.4], [0.4, 0.6]])));
    expect(v[0]).toBeCloseTo(-Math.log(0.4), 5);
    expect(v[1]).toBeCloseTo(-(Math.log(0.6) + Math.log(0.4)) / 2, 5);
  });

  it('is stable with logits and expands [B] targets against [B, 1] outputs', () => {
    const v = values(binaryCrossentropy(tf.tensor1d([1, 0, 1]), tf.tensor2d([[0], [100], [-100]]), { fromLogits: true }));
    expect(v[0]).toBeCloseTo(Math.log(2), 5);
    expect(v[1]).toBeCloseTo(100, 3);
    expect(v[2]).toBeCloseTo(100, 3);
  });

  it('smooths labels towards 0.5', () => {
    const loss = new BinaryCrossentropy({ labelSmoothing: 0.2 }).compute(tf.tensor2d([[1]]), tf.tensor2d([[0.7]]));
    expect(loss.dataSync()[0]).toBeCloseTo(-(0.9 * Math.log(0.7) + 0.1 * Math.log(0.3)), 5);
  });
});

describe('gradients of the cross-entropies', () => {
  it('match the analytic softmax - onehot for logits', () => {
    const logits = tf.tensor2d([[1, 2, 3], [0.5, -1, 2]]);
    const grad = tf.grad((x: tf.Tensor) => sparseCategoricalCrossentropy(tf.tensor1d([2, 0]), x, { fromLogits: true }).sum())(logits);
    const expected = tf.softmax(logits).sub(tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3));
    expect(Array.from(grad.dataSync()).map((v) => +v.toFixed(5))).toEqual(Array.from(expected.dataSync()).map((v) => +v.toFixed(5)));
    const gradCat = tf.grad((x: tf.Tensor) => categoricalCrossentropy(tf.tensor2d([[0, 0, 1], [1, 0, 0]]), x, { fromLogits: true }).sum())(logits);
    expect(Array.from(gradCat.dataSync()).map((v) => +v.toFixed(5))).toEqual(Array.from(expected.dataSync()).map((v) => +v.toFixed(5)));
  });

  it('is stable for large logits', () => {
    const v = sparseCategoricalCrossentropy(tf.tensor1d([0]), tf.tensor2d([[1000, 0, -1000]]), { fromLogits: true });
    expect(v.dataSync()[0]).toBeCloseTo(0, 5);
    const w = sparseCategoricalCrossentropy(tf.tensor1d([1]), tf.tensor2d([[1000, 0, -1000]]), { fromLogits: true });
    expect(w.dataSync()[0]).toBeCloseTo(1000, 2);
  });
});
