/**
 * conv1dFused() on each implementation against independent references: tf.conv1d (forward; gradients
 * where tfjs has them, dilation 1), a per-tap reference from plain tfjs ops (strided slices and matrix
 * products, all cases and gradients), and central finite differences. Also: no tensor leaks, dx skipped
 * for data and recomputed when asked for, and clear errors.
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation, conv1dImplementationFor, setImplementation } from '../backend/implementation_choice';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import type { Conv1DBackwardRequest, Conv1DImplementation } from '../conv1d_spec';
import { conv1dFused } from './conv1d_fused';

/** Sum over taps j of x[:, j*dilation + t*stride, :] · kernel[j], from pads, slices, reshapes and matMul
 * (tfjs has no gradient for stridedSlice: a strided tap is every stride-th row of a reshaped run). */
function tapReference(x: tf.Tensor, kernel: tf.Tensor, stride: number, dilation: number): tf.Tensor {
  const [batch, length, channels] = x.shape as [number, number, number];
  const [taps, , filters] = kernel.shape as [number, number, number];
  const steps = Math.floor((length - dilation * (taps - 1) - 1) / stride) + 1;
  const extra = Math.max(0, dilation * (taps - 1) + steps * stride - length);
  const padded = tf.pad(x, [[0, 0], [0, extra], [0, 0]]);
  let sum: tf.Tensor | null = null;
  for (let j = 0; j < taps; j++) {
    const run = tf.slice(padded, [0, j * dilation, 0], [batch, steps * stride, channels]).reshape([batch, steps, stride, channels]);
    const tap = tf.slice(run, [0, 0, 0, 0], [batch, steps, 1, channels]).reshape([batch * steps, channels]);
    const product = tf.matMul(tap, tf.slice(kernel, [j, 0, 0], [1, channels, filters]).reshape([channels, filters]));
    sum = sum === null ? product : tf.add(sum, product);
  }
  return (sum as tf.Tensor).reshape([batch, steps, filters]);
}

/** Largest difference relative to 1 + |b| (sums of hundreds of products carry float32 rounding). */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.add(tf.abs(b), 1))).dataSync()[0] ?? 0);
}

// [batch, length, channels, filters, kernelSize, stride, dilation]
const CASES: Array<[number, number, number, number, number, number, number]> = [
  [2, 9, 3, 4, 3, 1, 1],
  [3, 23, 17, 37, 5, 2, 1],
  [2, 20, 5, 19, 4, 1, 3],
  [1, 31, 7, 45, 2, 3, 1],
  [2, 8, 6, 3, 8, 1, 1],
  [2, 40, 70, 33, 5, 1, 2],
];

const initial = activeImplementation().name;
afterAll(() => setImplementation(initial));

describe.each(implementationsUnderTest())('conv1dFused on the %s kernels', (name) => {
  beforeAll(() => setImplementation(name));

  test.each(CASES)('B=%i L=%i C=%i F=%i kernel %i stride %i dilation %i: values and gradients as the references', (batch, length, channels, filters, kernelSize, stride, dilation) => {
    tf.tidy(() => {
      const x = tf.randomUniform([batch, length, channels], -1, 1, 'float32', length);
      const kernel = tf.randomUniform([kernelSize, channels, filters], -1, 1, 'float32', channels);
      const y = conv1dFused(x, kernel, { stride, dilation });
      const w = tf.randomUniform(y.shape, -1, 1, 'float32', filters);
      const loss = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), w));
      const ours = tf.grads(loss((a, b) => conv1dFused(a, b, { stride, dilation })))([x, kernel]);
      const taps = tf.grads(loss((a, b) => tapReference(a, b, stride, dilation)))([x, kernel]);
      expect(maxDiff(y, tapReference(x, kernel, stride, dilation))).toBeLessThan(1e-5);
      expect(maxDiff(y, tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, stride, 'valid', 'NWC', dilation))).toBeLessThan(1e-5);
      expect(maxDiff(ours[0], taps[0])).toBeLessThan(1e-5);
      expect(maxDiff(ours[1], taps[1])).toBeLessThan(1e-5);
      if (dilation === 1) {
        // tfjs's own conv gradients refuse dilation > 1.
        const theirs = tf.grads(loss((a, b) => tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, stride, 'valid')))([x, kernel]);
        expect(maxDiff(ours[0], theirs[0])).toBeLessThan(1e-5);
        expect(maxDiff(ours[1], theirs[1])).toBeLessThan(1e-5);
      }
    });
  });

  test.each([[true, 'relu'], [false, 'relu'], [true, 'linear']] as const)('bias %s, activation %s: values and gradients the same bits as the separate ops', (withBias, activation) => {
    tf.tidy(() => {
      const x = tf.randomUniform([3, 23, 17], -1, 1, 'float32', 5);
      const kernel = tf.randomUniform([5, 17, 37], -0.3, 0.3, 'float32', 6);
      const bias = tf.randomUniform([37], -1, 1, 'float32', 7);
      const w = tf.randomUniform([3, 10, 37], -1, 1, 'float32', 8);
      // The layer's separate ops: the bias added with its gradient as ones · dz (KernelBias.addBias), then tf.relu.
      const addBias = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [value, b] = args as [tf.Tensor, tf.Tensor];
        return { value: tf.add(value, b), gradFunc: (dy: tf.Tensor) => [dy, tf.matMul(tf.ones([1, dy.shape[0] as number]), dy).reshape(b.shape)] };
      });
      const separate = (a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => {
        let y = conv1dFused(a, k, { stride: 2 }).reshape([30, 37]);
        if (withBias) y = addBias(y, b) as tf.Tensor;
        return (activation === 'relu' ? tf.relu(y) : y).reshape([3, 10, 37]);
      };
      const fused = (a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => conv1dFused(a, k, { stride: 2, bias: withBias ? b : undefined, activation });
      const loss = (f: typeof fused) => (a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(f(a, k, b), 0), w));
      const a = tf.mul(x, 1); // on the tape, so dx is computed
      expect(Array.from(fused(a, kernel, bias).dataSync())).toEqual(Array.from(separate(a, kernel, bias).dataSync()));
      // Without a bias, neither function reads b: differentiate by x and the kernel only.
      const gradsOf = (f: typeof fused) =>
        withBias ? tf.grads(loss(f))([a, kernel, bias]) : tf.grads((p: tf.Tensor, k: tf.Tensor) => loss(f)(p, k, bias))([a, kernel]);
      const ours = gradsOf(fused);
      const theirs = gradsOf(separate);
      expect(ours.length).toBe(withBias ? 3 : 2);
      ours.forEach((g, i) => expect({ i, grad: Array.from(g.dataSync()) }).toEqual({ i, grad: Array.from(theirs[i].dataSync()) }));
      if (activation === 'relu') expect(Array.from(fused(a, kernel, bias).dataSync()).filter((v) => v === 0).length).toBeGreaterThan(100);
    });
  });

  test('bias and activation are checked', () => {
    tf.tidy(() => {
      const x = tf.zeros([1, 5, 3]);
      const kernel = tf.zeros([2, 3, 4]);
      expect(() => conv1dFused(x, kernel, { bias: tf.zeros([3]), context: 'C' })).toThrow(/^C: the bias must be a float32 tf.Tensor of shape \[4\] \(the kernel's filters\), got shape \[3\] \(float32\)\.$/);
      expect(() => conv1dFused(x, kernel, { activation: 'tanh' as never, context: 'C' })).toThrow(/^C: activation must be 'linear' or 'relu', got "tanh"\.$/);
    });
  });

  test('gradients match central finite differences', () => {
    const [batch, length, channels, filters, kernelSize, stride, dilation] = [2, 11, 3, 5, 3, 2, 1];
    const xs = Float32Array.from({ length: batch * length * channels }, (_, i) => Math.sin(i * 1.3));
    const ks = Float32Array.from({ length: kernelSize * channels * filters }, (_, i) => Math.cos(i * 0.7));
    const steps = Math.floor((length - kernelSize) / stride) + 1;
    const ws = Float64Array.from({ length: batch * steps * filters }, (_, i) => Math.sin(i * 0.3 + 1));
    const lossOf = (xv: Float32Array, kv: Float32Array) => tf.tidy(() => {
      const y = conv1dFused(tf.tensor3d(xv, [batch, length, channels]), tf.tensor3d(kv, [kernelSize, channels, filters]), { stride, dilation }).dataSync();
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * ws[i];
      return s;
    });
    const [dx, dk] = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv1dFused(a, b, { stride, dilation }), tf.tensor3d(Float32Array.from(ws), [batch, steps, filters]))))([
      tf.tensor3d(xs, [batch, length, channels]), tf.tensor3d(ks, [kernelSize, channels, filters]),
    ]).map((g) => g.dataSync()));
    const eps = 1e-2;
    for (const [values, grad, other] of [[xs, dx, 'x'], [ks, dk, 'kernel']] as const) {
      for (let i = 0; i < values.length; i++) {
        const plus = Float32Array.from(values);
        const minus = Float32Array.from(values);
        plus[i] += eps;
        minus[i] -= eps;
        const numeric = other === 'x' ? (lossOf(plus, ks) - lossOf(minus, ks)) / (2 * eps) : (lossOf(xs, plus) - lossOf(xs, minus)) / (2 * eps);
        expect({ at: `${other}[${i}]`, close: Math.abs(numeric - grad[i]) < 2e-3 * (1 + Math.abs(numeric)) }).toEqual({ at: `${other}[${i}]`, close: true });
      }
    }
  });

  test('training steps and predictions keep the number of tensors flat', () => {
    const x = tf.randomUniform([3, 12, 4], -1, 1, 'float32', 1);
    const kernel = tf.variable(tf.randomUniform([3, 4, 5], -1, 1, 'float32', 2));
    const optimizer = tf.train.sgd(0.01);
    const bias = tf.variable(tf.zeros([5]));
    const step = () => {
      optimizer.minimize(() => tf.mean(tf.square(conv1dFused(tf.mul(x, 1), kernel, { stride: 2 }))));
      optimizer.minimize(() => tf.mean(tf.square(conv1dFused(tf.mul(x, 1), kernel, { bias, activation: 'relu' }))));
      conv1dFused(x, kernel, { dilation: 2 }).dispose();
      conv1dFused(x, kernel, { bias, activation: 'relu' }).dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, kernel, bias]);
    optimizer.dispose();
  });

  test('dx is skipped when x (or its inputOrigin) is data, computed when it comes from a recorded op or is what tf.grad differentiates', () => {
    const impl = conv1dImplementationFor(name) as { backward: Conv1DImplementation['backward'] };
    const saved = impl.backward;
    const asked: boolean[] = [];
    impl.backward = (req: Conv1DBackwardRequest) => {
      asked.push(req.computeInputGradient !== false);
      return saved.call(impl, req);
    };
    const x = tf.randomUniform([2, 7, 3], -1, 1, 'float32', 3);
    const kernel = tf.variable(tf.randomUniform([2, 3, 4], -1, 1, 'float32', 4));
    try {
      const run = (f: () => tf.Scalar) => {
        const { value, grads } = tf.variableGrads(f);
        tf.dispose([value, ...Object.values(grads)]);
      };
      run(() => tf.sum(conv1dFused(x, kernel)));
      expect(asked).toEqual([false]);
      run(() => tf.sum(conv1dFused(tf.mul(x, 2), kernel)));
      expect(asked).toEqual([false, true]);
      // tf.grad asks for the gradient of the data itself: the backward runs again, with dx.
      tf.tidy(() => {
        const dx = tf.grad((a: tf.Tensor) => tf.sum(conv1dFused(a, kernel)))(x);
        const want = tf.grad((a: tf.Tensor) => tf.sum(tapReference(a, kernel, 1, 1)))(x);
        expect(maxDiff(dx, want)).toBeLessThan(1e-5);
      });
      expect(asked.slice(2)).toEqual([false, true]);
      // A padded copy of data is on the tape, but its origin is data: no dx, unless tf.grad asks for it.
      const padded = (a: tf.Tensor) => conv1dFused(tf.pad(a, [[0, 0], [2, 1], [0, 0]]), kernel, { inputOrigin: a });
      run(() => tf.sum(padded(x)));
      expect(asked.slice(4)).toEqual([false]);
      tf.tidy(() => {
        const dx = tf.grad((a: tf.Tensor) => tf.sum(padded(a)))(x);
        const want = tf.grad((a: tf.Tensor) => tf.sum(tapReference(tf.pad(a, [[0, 0], [2, 1], [0, 0]]), kernel, 1, 1)))(x);
        expect(maxDiff(dx, want)).toBeLessThan(1e-5);
      });
      expect(asked.slice(5)).toEqual([false, true]);
    } finally {
      impl.backward = saved;
      tf.dispose([x, kernel]);
    }
  });
});

describe('conv1dFused errors', () => {
  const x = tf.zeros([2, 5, 3]);
  const kernel = tf.zeros([2, 3, 4]);
  afterAll(() => tf.dispose([x, kernel]));

  test('name the context, the argument and what was expected', () => {
    expect(() => conv1dFused(tf.zeros([5, 3]), kernel, { context: "Conv1D 'c'" })).toThrow(/^Conv1D 'c': x must be a float32 tf.Tensor of shape \[batch, length, channels\], got shape \[5, 3\] \(float32\)\.$/);
    expect(() => conv1dFused(x, null as never)).toThrow(/^conv1dFused: the kernel must be a float32 tf.Tensor of shape \[kernelSize, channels, filters\], got null\.$/);
    expect(() => conv1dFused(x, tf.zeros([2, 4, 4]))).toThrow(/^conv1dFused: the kernel \[2, 4, 4\] expects 4 channels, x has 3\.$/);
    expect(() => conv1dFused(x, kernel, { stride: 0 })).toThrow(/^conv1dFused: stride must be a positive integer, got 0\.$/);
    expect(() => conv1dFused(x, kernel, { dilation: 1.5 })).toThrow(/^conv1dFused: dilation must be a positive integer, got 1.5\.$/);
    expect(() => conv1dFused(x, kernel, { dilation: 5 })).toThrow(/^conv1dFused: x has 5 steps, fewer than the 6 one window of 2 taps with dilation 5 covers; pad it first\.$/);
  });
});
