import * as tf from '@tensorflow/tfjs';
import { activationNames, getActivation, serializeActivation } from './activations';

const xs = [-4, -1, 0, 0.5, 2, 8];
const run = (name: string, x = xs) => Array.from(getActivation(name).apply(tf.tensor1d(x)).dataSync());

describe('activations', () => {
  test('Keras 3 hard_sigmoid is clip(x/6 + 0.5); the legacy one is clip(0.2x + 0.5)', () => {
    const k3 = run('hard_sigmoid');
    xs.forEach((x, i) => expect(k3[i]).toBeCloseTo(Math.min(1, Math.max(0, x / 6 + 0.5)), 6));
    const legacy = run('hard_sigmoid_legacy');
    xs.forEach((x, i) => expect(legacy[i]).toBeCloseTo(Math.min(1, Math.max(0, 0.2 * x + 0.5)), 6));
    expect(getActivation('hardSigmoid').name).toBe('hard_sigmoid');
  });

  test('element-wise values', () => {
    const check = (name: string, f: (x: number) => number) => run(name).forEach((v, i) => expect(v).toBeCloseTo(f(xs[i]), 4));
    check('linear', (x) => x);
    check('relu', (x) => Math.max(0, x));
    check('relu6', (x) => Math.min(6, Math.max(0, x)));
    check('sigmoid', (x) => 1 / (1 + Math.exp(-x)));
    check('tanh', Math.tanh);
    check('elu', (x) => (x > 0 ? x : Math.exp(x) - 1));
    check('selu', (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)));
    check('softplus', (x) => Math.log1p(Math.exp(x)));
    check('softsign', (x) => x / (1 + Math.abs(x)));
    check('swish', (x) => x / (1 + Math.exp(-x)));
    check('silu', (x) => x / (1 + Math.exp(-x)));
    check('exponential', Math.exp);
    // gelu(1) = 0.8413447, gelu(-1) = -0.1586553 (exact, erf-based).
    const g = run('gelu', [1, -1]);
    expect(g[0]).toBeCloseTo(0.8413447, 4);
    expect(g[1]).toBeCloseTo(-0.1586553, 4);
  });

  test('softmax and log_softmax work on the last axis', () => {
    const s = getActivation('softmax').apply(tf.tensor2d([[1, 2, 3], [0, 0, 0]])).arraySync() as number[][];
    expect(s[1]).toEqual([1 / 3, 1 / 3, 1 / 3].map((v) => expect.closeTo(v, 6)));
    expect(s[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const ls = getActivation('logSoftmax').apply(tf.tensor2d([[1, 2, 3]])).arraySync() as number[][];
    expect(Math.exp(ls[0][2])).toBeCloseTo(s[0][2], 5);
  });

  test('softmax equals tf.softmax in value and gradient (rank 3, as after a TimeDistributed Dense)', () => {
    const x = tf.randomNormal([2, 3, 7], 0, 2, 'float32', 1);
    const w = tf.randomNormal([2, 3, 7], 0, 1, 'float32', 2);
    const softmax = getActivation('softmax');
    const diff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
    expect(diff(softmax.apply(x), tf.softmax(x, -1))).toBeLessThan(1e-6);
    const ours = tf.grad((t: tf.Tensor) => softmax.apply(t).square().mul(w).sum())(x);
    const theirs = tf.grad((t: tf.Tensor) => tf.softmax(t, -1).square().mul(w).sum())(x);
    expect(diff(ours, theirs)).toBeLessThan(1e-6);
    tf.dispose([x, w, ours, theirs]);
  });

  test('null is linear, functions are accepted but not serializable, unknown names fail clearly', () => {
    expect(getActivation(null).name).toBe('linear');
    const custom = getActivation(function double(x: tf.Tensor) { return x.mul(2); });
    expect(custom.apply(tf.scalar(3)).dataSync()[0]).toBe(6);
    expect(() => serializeActivation(custom)).toThrow(/custom activation function "double" cannot be saved/);
    expect(() => getActivation('rellu')).toThrow(/Unknown activation "rellu" \(did you mean .relu.\?\); known: linear, relu/);
    expect(activationNames()).toEqual(expect.arrayContaining(['gelu', 'swish', 'log_softmax', 'hard_sigmoid_legacy']));
  });
});
