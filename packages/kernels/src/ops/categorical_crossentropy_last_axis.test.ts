import * as tf from '@tensorflow/tfjs';
import { categoricalCrossentropyLastAxis } from './categorical_crossentropy_last_axis';

const EPS = 1e-7;

/** The same loss as tfjs ops (Keras 3's TensorFlow backend): normalise, clip, -sum(t * log). */
function opChain(target: tf.Tensor, probs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const normalised = tf.div(probs, tf.sum(probs, -1, true));
    return tf.neg(tf.sum(tf.mul(target, tf.log(tf.clipByValue(normalised, EPS, 1 - EPS))), -1));
  });
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(1e-3, Math.abs(y[i])));
  return m;
}

/** Probabilities with some entries beyond the clip (zeros, near-ones), rows not summing to one. */
function cases(seed: number, shape: number[]): { target: tf.Tensor; probs: tf.Tensor } {
  return tf.tidy(() => {
    const classes = shape[shape.length - 1];
    const logits = tf.randomNormal(shape, 0, 3, 'float32', seed);
    let probs = tf.mul(tf.softmax(logits), tf.randomUniform([...shape.slice(0, -1), 1], 0.5, 2, 'float32', seed + 1));
    probs = tf.where(tf.less(tf.randomUniform(shape, 0, 1, 'float32', seed + 2), 0.1), tf.zerosLike(probs), probs);
    const ids = tf.randomUniform(shape.slice(0, -1), 0, classes, 'int32', seed + 3);
    const oneHot = tf.oneHot(ids.flatten(), classes).reshape(shape).toFloat();
    const soft = tf.softmax(tf.randomNormal(shape, 0, 1, 'float32', seed + 4));
    const target = seed % 2 === 0 ? oneHot : soft;
    return { target: tf.keep(target), probs: tf.keep(probs) };
  });
}

describe('categoricalCrossentropyLastAxis', () => {
  test('equals the op chain for one-hot and soft targets, ranks 1 to 3, clipped entries included', () => {
    [[7], [16, 9], [3, 4, 11]].forEach((shape, k) => {
      for (const seed of [10 + k * 2, 11 + k * 2]) {
        const { target, probs } = cases(seed, shape);
        const ours = categoricalCrossentropyLastAxis(target, probs, EPS);
        const theirs = opChain(target, probs);
        expect(ours.shape).toEqual(shape.slice(0, -1));
        expect(maxRelDiff(ours, theirs)).toBeLessThan(2e-6);
        tf.dispose([target, probs, ours, theirs]);
      }
    });
    // An exact zero probability of the target class is clipped: -log(1e-7); NaN spreads over its row.
    const out = categoricalCrossentropyLastAxis(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0, 1], [NaN, 1]]), EPS);
    const [clipped, nan] = Array.from(out.dataSync());
    expect(clipped).toBeCloseTo(-Math.log(Math.fround(EPS)), 4);
    expect(nan).toBeNaN();
    out.dispose();
  });

  test('its gradients equal the op chain\'s (probs and targets) and central finite differences; nothing leaks', () => {
    for (const seed of [20, 21]) {
      const { target, probs } = cases(seed, [6, 8]);
      const weights = tf.randomUniform([6], 0.5, 1.5, 'float32', seed + 9);
      const before = tf.memory().numTensors;
      const lossOf = (f: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor) => (t: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(f(t, p), weights));
      const ours = tf.grads(lossOf((t, p) => categoricalCrossentropyLastAxis(t, p, EPS)))([target, probs]);
      const theirs = tf.grads(lossOf(opChain))([target, probs]);
      expect(maxRelDiff(ours[1], theirs[1])).toBeLessThan(1e-5);
      expect(maxRelDiff(ours[0], theirs[0])).toBeLessThan(1e-5);
      const g = ours[1].dataSync();
      const base = probs.dataSync();
      const lossAt = (values: Float32Array): number =>
        tf.tidy(() => lossOf((t, p) => categoricalCrossentropyLastAxis(t, p, EPS))(target, tf.tensor2d(values, [6, 8])).dataSync()[0]);
      for (const k of [0, 9, 20, 47]) {
        if (base[k] < 1e-3) continue; // at a clipped entry the derivative is one-sided
        const h = 0.03 * base[k]; // large enough to rise above float32 rounding of the loss
        const plus = Float32Array.from(base), minus = Float32Array.from(base);
        plus[k] += h;
        minus[k] -= h;
        const numeric = (lossAt(plus) - lossAt(minus)) / (plus[k] - minus[k]);
        expect(Math.abs(g[k] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
      }
      tf.dispose([...ours, ...theirs]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([target, probs, weights]);
    }
  });

  test('bad inputs give clear errors', () => {
    const p = tf.tensor2d([[0.5, 0.5]]);
    expect(() => categoricalCrossentropyLastAxis(tf.tensor1d([1, 0]), p, EPS)).toThrow(/target \[2\] and probs \[1,2\] must have one shape/);
    expect(() => categoricalCrossentropyLastAxis(tf.tensor2d([[1, 0]], [1, 2], 'int32'), p, EPS)).toThrow(/expected float32 target, got int32/);
    expect(() => categoricalCrossentropyLastAxis(p, tf.scalar(1), EPS)).toThrow(/rank >= 1/);
    expect(() => categoricalCrossentropyLastAxis(p, p, 0.7)).toThrow(/epsilon must be in \[0, 0.5\)/);
    expect(() => categoricalCrossentropyLastAxis(null as unknown as tf.Tensor, p, EPS)).toThrow(/expected target to be a tf.Tensor, got null/);
    p.dispose();
  });
});
