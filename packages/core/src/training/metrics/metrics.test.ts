import * as tf from '@tensorflow/tfjs';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy';
import { Precision, Recall } from './confusion';
import { Perplexity } from './perplexity';
import { MeanAbsoluteError, MeanSquaredError } from './regression_metrics';
import { getMetric } from './get_metric';
import { SparseCategoricalCrossentropy, BinaryCrossentropy } from '../losses/crossentropy';

describe('accuracy metrics count hits', () => {
  it('binary accuracy thresholds at 0.5 and accumulates over batches', () => {
    const m = new BinaryAccuracy();
    m.update(tf.tensor2d([[1], [0], [1], [0]]), tf.tensor2d([[0.9], [0.4], [0.2], [0.6]])); // 2 of 4
    expect(m.result()).toBeCloseTo(0.5, 6);
    m.update(tf.tensor2d([[1], [1]]), tf.tensor2d([[0.7], [0.8]])); // 2 of 2
    expect(m.result()).toBeCloseTo(4 / 6, 6);
    m.reset();
    expect(m.result()).toBe(0);
  });

  it('categorical and sparse accuracy compare argmax', () => {
    const probs = tf.tensor2d([[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4]]);
    const c = new CategoricalAccuracy();
    c.update(tf.tensor2d([[0, 1, 0], [0, 1, 0], [0, 0, 1]]), probs);
    expect(c.result()).toBeCloseTo(2 / 3, 6);
    const s = new SparseCategoricalAccuracy();
    s.update(tf.tensor1d([1, 1, 2]), probs);
    expect(s.result()).toBeCloseTo(2 / 3, 6);
    s.update(tf.tensor2d([[0], [0], [0]]), probs); // one hit
    expect(s.result()).toBeCloseTo(3 / 6, 6);
  });

  it('masked steps are excluded, sample weights weigh hits', () => {
    // [B=2, T=3] sparse labels; predictions hit at (0,0), (0,2), (1,1).
    const labels = tf.tensor2d([[0, 0, 1], [1, 1, 0]]);
    const probs = tf.tensor3d([
      [[0.9, 0.1], [0.1, 0.9], [0.2, 0.8]],
      [[0.9, 0.1], [0.3, 0.7], [0.4, 0.6]],
    ]);
    const mask = tf.tensor2d([[1, 1, 0], [1, 1, 1]]);
    const m = new SparseCategoricalAccuracy();
    m.update(labels, probs, null, mask); // valid: (0,0) hit, (0,1) miss, (1,0) miss, (1,1) hit, (1,2) miss
    expect(m.result()).toBeCloseTo(2 / 5, 6);
    const w = new SparseCategoricalAccuracy();
    w.update(labels, probs, tf.tensor1d([3, 1]), mask); // hits weigh 3 + 1 of 3*2 + 1*3
    expect(w.result()).toBeCloseTo(4 / 9, 6);
  });

  it("'accuracy' follows the loss, else the shapes", () => {
    const sparse = getMetric('accuracy', new SparseCategoricalCrossentropy()) as Accuracy;
    expect(sparse.resolvedKind).toBe('sparse');
    const byShape = getMetric('acc') as Accuracy;
    byShape.update(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.8], [0.3, 0.7]]));
    expect(byShape.resolvedKind).toBe('categorical');
    expect(byShape.result()).toBeCloseTo(0.5, 6);
    expect(byShape.name).toBe('acc');
    expect((getMetric('accuracy', new BinaryCrossentropy()) as Accuracy).resolvedKind).toBe('binary');
  });
});

describe('precision and recall', () => {
  it('count true and false positives at threshold 0.5', () => {
    const yTrue = tf.tensor2d([[1], [1], [0], [0], [1]]);
    const yPred = tf.tensor2d([[0.9], [0.3], [0.8], [0.1], [0.6]]); // tp=2, fn=1, fp=1, tn=1
    const p = new Precision();
    const r = new Recall();
    p.update(yTrue, yPred);
    r.update(yTrue, yPred);
    expect(p.result()).toBeCloseTo(2 / 3, 6);
    expect(r.result()).toBeCloseTo(2 / 3, 6);
    p.update(tf.tensor2d([[0]]), tf.tensor2d([[0.9]])); // one more false positive
    expect(p.result()).toBeCloseTo(2 / 4, 6);
    const empty = new Precision();
    empty.update(tf.tensor2d([[1]]), tf.tensor2d([[0.1]]));
    expect(empty.result()).toBe(0);
  });
});

describe('regression metrics and perplexity', () => {
  it('mse / mae are weighted means of per-sample errors', () => {
    const mse = new MeanSquaredError();
    mse.update(tf.zeros([2, 2]), tf.tensor2d([[1, 1], [2, 0]])); // [1, 2]
    mse.update(tf.zeros([1, 2]), tf.tensor2d([[3, 3]])); // [9]
    expect(mse.result()).toBeCloseTo(12 / 3, 6);
    const mae = new MeanAbsoluteError();
    mae.update(tf.zeros([2, 1]), tf.tensor2d([[1], [-3]]), tf.tensor1d([1, 3]));
    expect(mae.result()).toBeCloseTo((1 + 9) / 4, 6);
  });

  it('perplexity is exp of the mean cross-entropy over unmasked tokens', () => {
    const labels = tf.tensor2d([[0, 1, 1]]);
    const probs = tf.tensor3d([[[0.5, 0.5], [0.25, 0.75], [0.9, 0.1]]]);
    const p = new Perplexity();
    p.update(labels, probs, null, tf.tensor2d([[1, 1, 0]]));
    expect(p.result()).toBeCloseTo(Math.exp((Math.log(2) + -Math.log(0.75)) / 2), 5);
    const withPad = new Perplexity({ maskTokenId: 0 });
    withPad.update(labels, probs);
    expect(withPad.result()).toBeCloseTo(Math.exp((-Math.log(0.75) - Math.log(0.1)) / 2), 5);
    const logits = getMetric('perplexity', new SparseCategoricalCrossentropy({ fromLogits: true })) as Perplexity;
    expect(logits.fromLogits).toBe(true);
  });

  it('metric state holds no tensors', () => {
    const before = tf.memory().numTensors;
    const m = new SparseCategoricalAccuracy();
    tf.tidy(() => m.update(tf.tensor1d([0]), tf.tensor2d([[0.6, 0.4]])));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('unknown names get a suggestion', () => {
    expect(() => getMetric('acuracy')).toThrow(/did you mean 'accuracy'/);
  });
});
