import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropyLastAxis } from './softmax_crossentropy_last_axis';
import { softmaxLastAxis, softmaxLogitsOf } from './softmax_last_axis';
import { categoricalCrossentropyLastAxis } from './categorical_crossentropy_last_axis';

const EPS = 1e-7;

/** The loss from logits as plain tfjs ops: -sum(t * (x - logsumexp(x))), in float32. */
function fromLogitsOps(target: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits, -1)), -1)));
}

/** The fused op on softmaxLastAxis's own probabilities. */
function fused(target: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => softmaxCrossEntropyLastAxis(target, logits, softmaxLastAxis(logits)));
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Logits of spread `scale`, one-hot (even seeds) or soft (odd seeds) targets. */
function cases(seed: number, shape: number[], scale = 3): { target: tf.Tensor; logits: tf.Tensor } {
  return tf.tidy(() => {
    const classes = shape[shape.length - 1];
    const logits = tf.randomNormal(shape, 0, scale, 'float32', seed);
    const ids = tf.randomUniform(shape.slice(0, -1), 0, classes, 'int32', seed + 3);
    const oneHot = tf.oneHot(ids.flatten(), classes).reshape(shape).toFloat();
    const soft = tf.softmax(tf.randomNormal(shape, 0, 1, 'float32', seed + 4));
    return { target: tf.keep(seed % 2 === 0 ? oneHot : soft), logits: tf.keep(logits) };
  });
}

describe('softmaxCrossEntropyLastAxis', () => {
  test('equals -sum(t * logSoftmax(x)) as tfjs ops, and the loss of the probabilities where none is clipped', () => {
    [[7], [16, 9], [3, 4, 11], [128, 60]].forEach((shape, k) => {
      for (const seed of [10 + k * 2, 11 + k * 2]) {
        const { target, logits } = cases(seed, shape);
        const ours = fused(target, logits);
        expect(ours.shape).toEqual(shape.slice(0, -1));
        const reference = fromLogitsOps(target, logits);
        // A few float32 roundings of values up to ~20: within 1e-5 absolute.
        expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);
        tf.dispose([ours, reference]);
        // With moderate logits no probability reaches the clip: the loss of probabilities agrees too.
        const mild = tf.tidy(() => tf.mul(logits, 0.3));
        const ofLogits = fused(target, mild);
        const ofProbs = tf.tidy(() => categoricalCrossentropyLastAxis(target, softmaxLastAxis(mild), EPS));
        expect(maxAbsDiff(ofLogits, ofProbs)).toBeLessThan(1e-5);
        tf.dispose([target, logits, mild, ofLogits, ofProbs]);
      }
    });
  });

  test('beyond the clip it keeps the true loss; NaN logits give NaN; infinite ones follow the softmax', () => {
    const target = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const logits = tf.tensor2d([[-40, 0, 0], [NaN, 1, 2], [-Infinity, 0, 0]]);
    const [clipped, nan, inf] = Array.from(fused(target, logits).dataSync());
    expect(clipped).toBeCloseTo(40 + Math.log(2), 4); // the probabilities' loss would stop at -log(1e-7) = 16.1
    expect(nan).toBeNaN();
    expect(inf).toBeCloseTo(Math.log(2), 6);
    tf.dispose([target, logits]);
  });

  test('its gradients equal those of the tfjs ops (logits and targets) and central finite differences; nothing leaks', () => {
    for (const seed of [20, 21]) {
      const { target, logits } = cases(seed, [6, 8]);
      const weights = tf.randomUniform([6], 0.5, 1.5, 'float32', seed + 9);
      const before = tf.memory().numTensors;
      const lossOf = (f: (t: tf.Tensor, x: tf.Tensor) => tf.Tensor) => (t: tf.Tensor, x: tf.Tensor) => tf.sum(tf.mul(f(t, x), weights));
      const ours = tf.grads(lossOf(fused))([target, logits]);
      const theirs = tf.grads(lossOf(fromLogitsOps))([target, logits]);
      expect(maxAbsDiff(ours[1], theirs[1])).toBeLessThan(1e-6);
      expect(maxAbsDiff(ours[0], theirs[0])).toBeLessThan(1e-5);
      const g = ours[1].dataSync();
      const base = logits.dataSync();
      const lossAt = (values: Float32Array): number => tf.tidy(() => lossOf(fused)(target, tf.tensor2d(values, [6, 8])).dataSync()[0]);
      for (const k of [0, 9, 20, 47]) {
        const h = 1e-2;
        const plus = Float32Array.from(base), minus = Float32Array.from(base);
        plus[k] += h;
        minus[k] -= h;
        const numeric = (lossAt(plus) - lossAt(minus)) / (plus[k] - minus[k]);
        expect(Math.abs(g[k] - numeric)).toBeLessThan(2e-3);
      }
      tf.dispose([...ours, ...theirs]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([target, logits, weights]);
    }
  });

  test('the gradient reaches the logits through this op alone, not again through the softmax', () => {
    const { target, logits } = cases(30, [5, 4]);
    // Through a product first, as a Dense layer's logits are: the tape sees softmax(x) -> probs as well.
    const scale = tf.tensor1d([1.5, -0.5, 2, 1]);
    const ours = tf.grad((s: tf.Tensor) => {
      const x = tf.mul(logits, s);
      return tf.sum(softmaxCrossEntropyLastAxis(target, x, softmaxLastAxis(x)));
    })(scale);
    const theirs = tf.grad((s: tf.Tensor) => tf.sum(fromLogitsOps(target, tf.mul(logits, s))))(scale);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
    tf.dispose([target, logits, scale, ours, theirs]);
  });

  test('the probabilities keep their data after the op (it takes its own reference to them)', () => {
    const target = tf.tensor2d([[0, 1]]);
    const logits = tf.tensor2d([[1, 3]]);
    const probs = softmaxLastAxis(logits);
    const before = tf.memory().numTensors;
    softmaxCrossEntropyLastAxis(target, logits, probs).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const [p0, p1] = Array.from(probs.dataSync());
    expect(p0 + p1).toBeCloseTo(1, 6);
    expect(p1).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    tf.dispose([target, logits, probs]);
    expect(tf.memory().numTensors).toBe(before - 3);
  });

  test('sparse: class ids equal their one-hot rows, loss and logits gradient; ids outside the classes are zero rows', () => {
    const { logits } = cases(40, [6, 5]);
    const ids = tf.tensor1d([0, 4, 2, 7, -1, 2.5]); // the last three name no class
    const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 4, 2, 7, -1, 99], 'int32'), 5).toFloat());
    const weights = tf.tensor1d([1, 2, 0.5, 1, 1, 1]);
    const lossOf = (t: tf.Tensor, sparse: boolean) => (x: tf.Tensor) =>
      tf.sum(tf.mul(softmaxCrossEntropyLastAxis(t, x, softmaxLastAxis(x), { sparse }), weights));
    const before = tf.memory().numTensors;
    const sparseValues = tf.tidy(() => softmaxCrossEntropyLastAxis(ids, logits, softmaxLastAxis(logits), { sparse: true }));
    const denseValues = fused(oneHot, logits);
    expect(Array.from(sparseValues.dataSync())).toEqual(Array.from(denseValues.dataSync()));
    expect(Array.from(sparseValues.dataSync()).slice(3)).toEqual([0, 0, 0]);
    const sparseGrad = tf.grad(lossOf(ids, true))(logits);
    const denseGrad = tf.grad(lossOf(oneHot, false))(logits);
    expect(maxAbsDiff(sparseGrad, denseGrad)).toBeLessThan(1e-7);
    // The ids themselves get no gradient.
    const idGrad = tf.grad((t: tf.Tensor) => tf.sum(softmaxCrossEntropyLastAxis(t, logits, softmaxLastAxis(logits), { sparse: true })))(ids);
    expect(Array.from(idGrad.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([sparseValues, denseValues, sparseGrad, denseGrad, idGrad]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => softmaxCrossEntropyLastAxis(oneHot, logits, logits, { sparse: true })).toThrow(/the target without the class axis/);
    tf.dispose([logits, ids, oneHot, weights]);
  });

  test('softmaxLastAxis remembers its logits while they live', () => {
    const x = tf.tensor2d([[1, 2, 3]]);
    const y = softmaxLastAxis(x);
    expect(softmaxLogitsOf(y)).toBe(x);
    expect(softmaxLogitsOf(x)).toBeNull();
    x.dispose();
    expect(softmaxLogitsOf(y)).toBeNull();
    y.dispose();
  });

  test('bad inputs give clear errors', () => {
    const p = tf.tensor2d([[0.5, 0.5]]);
    expect(() => softmaxCrossEntropyLastAxis(tf.tensor1d([1, 0]), p, p)).toThrow(/target \[2\], logits \[1,2\] and probs \[1,2\] must have one shape/);
    expect(() => softmaxCrossEntropyLastAxis(p, p, tf.tensor1d([1, 0]))).toThrow(/must have one shape/);
    expect(() => softmaxCrossEntropyLastAxis(tf.tensor2d([[1, 0]], [1, 2], 'int32'), p, p)).toThrow(/expected float32 target, got int32/);
    expect(() => softmaxCrossEntropyLastAxis(tf.scalar(1), tf.scalar(1), tf.scalar(1))).toThrow(/rank >= 1/);
    expect(() => softmaxCrossEntropyLastAxis(p, null as unknown as tf.Tensor, p)).toThrow(/expected logits to be a tf.Tensor, got null/);
    p.dispose();
  });
});
