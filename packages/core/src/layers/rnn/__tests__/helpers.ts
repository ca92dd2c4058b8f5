import * as tf from '@tensorflow/tfjs';
import type { Layer } from '../../../engine/layer';
import type { RNN } from '../rnn';

/** Largest absolute difference between two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Asserts that two tensors (or two lists of tensors) agree elementwise within `tol`. */
export function expectClose(a: tf.Tensor | tf.Tensor[], b: tf.Tensor | tf.Tensor[], tol = 1e-5): void {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(as.length).toBe(bs.length);
  as.forEach((t, i) => expect(maxAbsDiff(t, bs[i])).toBeLessThanOrEqual(tol));
}

/**
 * Why runLayerTest's TensorFlow.js round trip does not apply to a cell used as a layer of a model:
 * tfjs builds a cell from one input shape, not from [x, ...states], and so cannot call it on its own.
 */
export const CELL_IS_NO_TFJS_LAYER = { skip: 'TensorFlow.js cannot call a cell as a layer of a model (its build takes one input shape, not [x, ...states])' };

/**
 * Why it does not apply to an RNN around a cell, as saved today: tfjs names those weights after the RNN
 * (`rnn/kernel`, `rnn/RNNCell_0/kernel` in a stack) and we save them under the cell's name
 * (`lstm_cell/kernel`), which tf.loadLayersModel cannot match.
 */
export const CELL_WEIGHT_NAMES_DIFFER_IN_TFJS = { skip: "tf.loadLayersModel cannot match the cell-named weights ('lstm_cell/kernel') saved for an RNN around a cell (tfjs expects 'rnn/kernel')" };

/** A seeded normal tensor. */
export function randn(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tidy(() => tf.randomNormal(shape, 0, scale, 'float32', seed));
}

/** A [batch, time] 0/1 mask from rows of numbers. */
export function maskOf(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, undefined, 'float32');
}

/** Runs `fn` and checks that it leaves no tensors behind (its results are disposed). */
export function expectNoLeak(fn: () => tf.Tensor | tf.Tensor[] | void): void {
  fn(); // warm-up: lazily created weights and state holders are created once, on purpose.
  const before = tf.memory().numTensors;
  const out = fn();
  if (out) tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
}

/** Copies the weights of `from` into `to` (same class and configuration, both built). */
export function copyWeights(from: Layer, to: Layer): void {
  const values = from.getWeights();
  to.setWeights(values);
  tf.dispose(values);
}

/** A fixed, non-trivial scalar loss over a layer's outputs: sum_i sum(output_i * weight_i). */
export function weightedSum(outputs: tf.Tensor | tf.Tensor[], seed = 7): tf.Scalar {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  return tf.tidy(() => tf.addN(list.map((o, i) => tf.sum(tf.mul(o, tf.randomNormal(o.shape, 0, 1, 'float32', seed + i))))) as tf.Scalar);
}

export interface RunResult {
  outputs: tf.Tensor[];
  /** Gradients wrt the input and the given initial states. */
  inputGrads: tf.Tensor[];
  /** Gradients wrt the layer's trainable weights, in weight order. */
  weightGrads: tf.Tensor[];
  fused: boolean | null;
}

/**
 * Applies an RNN layer and differentiates a fixed loss wrt its input, its initial states and its
 * weights. The caller disposes the result (see disposeRun).
 */
export function runWithGrads(
  layer: RNN | Layer,
  x: tf.Tensor,
  options: { mask?: tf.Tensor | null; initialState?: tf.Tensor[] | null; training?: boolean } = {},
): RunResult {
  const call = (input: tf.Tensor, states: tf.Tensor[]): tf.Tensor[] => {
    const out = layer.apply(input, {
      mask: options.mask ?? null,
      initialState: states.length > 0 ? states : null,
      training: options.training ?? false,
    }) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? out : [out];
  };
  const states = options.initialState ?? [];
  const outputs = call(x, states);
  const inputGrads = tf.grads((...args: tf.Tensor[]) => weightedSum(call(args[0], args.slice(1))))([x, ...states]);
  const variables = layer.trainableWeights.map((w) => w.val);
  const { value, grads } = tf.variableGrads(() => weightedSum(call(x, states)), variables);
  value.dispose();
  const weightGrads = variables.map((v) => grads[v.name]);
  return { outputs, inputGrads, weightGrads, fused: 'lastCallFused' in layer ? (layer as RNN).lastCallFused : null };
}

export function disposeRun(r: RunResult): void {
  tf.dispose([...r.outputs, ...r.inputGrads, ...r.weightGrads]);
}
