/**
 * 'CategoricalCrossentropyLastAxis' (Keras's categorical cross-entropy of probabilities, per row of the
 * last axis) and its gradient kernel 'CategoricalCrossentropyLastAxisGrad', one pass per row each. As
 * ops (Keras 3's TensorFlow backend) it is: normalise each row to sum to one, clip to [eps, 1 - eps],
 * -sum(target * log(.)); about ten tfjs ops forward and twenty backward, each a new tensor and a
 * broadcasting loop. The intermediate values are rounded to float32 where those ops store them;
 * sums are taken in float64.
 *
 * Gradient, with n = p / s (s the row sum) and q = clip(n): dL/dn_k = -t_k / q_k where eps <= n_k <=
 * 1 - eps (the clip passes the gradient at its bounds too, as tfjs's does) and 0 elsewhere; then
 * dL/dp_j = dy * (g_j / s - sum_k g_k p_k / s^2). For the targets, dL/dt_j = -dy * log(q_j).
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { requiredInput, rowsAndWidth, type RowKernelArgs } from './row_kernel_io';

/** Read once: a global lookup per element is slow where code runs in a vm context (Jest). */
const log = Math.log;
const fround = Math.fround;

export const CATEGORICAL_CROSSENTROPY_LAST_AXIS = 'CategoricalCrossentropyLastAxis';
export const CATEGORICAL_CROSSENTROPY_LAST_AXIS_GRAD = 'CategoricalCrossentropyLastAxisGrad';

interface Rows {
  target: Float32Array;
  probs: Float32Array;
  rows: number;
  width: number;
  /** The clip bounds as the clip compares them (the forward as given, the gradient as float32). */
  low: number;
  high: number;
  shape: number[];
}

function readRows(args: RowKernelArgs, kernel: string): Rows {
  const backend = args.backend as KernelBackendIO;
  const targetInfo = requiredInput(args.inputs, 'target', kernel);
  const probsInfo = requiredInput(args.inputs, 'probs', kernel);
  if (!tf.util.arraysEqual(targetInfo.shape, probsInfo.shape) || probsInfo.shape.length === 0) {
    throw new Error(`${kernel} kernel: target [${targetInfo.shape.join(', ')}] and probs [${probsInfo.shape.join(', ')}] must have one shape of rank >= 1`);
  }
  const epsilon = (args.attrs as { epsilon?: unknown } | undefined)?.epsilon;
  if (typeof epsilon !== 'number' || !(epsilon >= 0 && epsilon < 0.5)) throw new Error(`${kernel} kernel: attribute epsilon must be a number in [0, 0.5)`);
  const { rows, width } = rowsAndWidth(probsInfo.shape);
  return {
    target: readFloats(backend, targetInfo, 'target'),
    probs: readFloats(backend, probsInfo, 'probs'),
    rows, width, low: epsilon, high: 1 - epsilon, shape: [...probsInfo.shape],
  };
}

/** clip(n, low, high) as tfjs's ClipByValue computes it: compared with the bounds as given, stored as float32. */
function clip(n: number, low: number, high: number): number {
  return n > high ? fround(high) : n < low ? fround(low) : n;
}

/** The row sum (float64 sum, stored as float32). */
function rowSum(p: Float32Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += p[i];
  return fround(s);
}

/** inputs { target, probs } [..., classes], attrs { epsilon } -> loss [...]. */
export function categoricalCrossentropyKernel(args: RowKernelArgs): tf.TensorInfo {
  const { target, probs, rows, width, low, high, shape } = readRows(args, CATEGORICAL_CROSSENTROPY_LAST_AXIS);
  const loss = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = r * width, end = start + width;
    const s = rowSum(probs, start, end);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const n = fround(probs[i] / s);
      // A zero target adds a zero (the clipped log is finite unless n is NaN): no log needed (one-hot rows).
      if (target[i] === 0 && n === n) continue;
      sum += fround(target[i] * fround(log(clip(n, low, high))));
    }
    loss[r] = -fround(sum);
  }
  return makeOutput(args.backend as KernelBackendIO, shape.slice(0, -1), loss);
}

/** inputs { dy [...], target, probs }, attrs { epsilon, wrt: 'probs' | 'target' } -> the gradient wrt that input. */
export function categoricalCrossentropyGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const kernel = CATEGORICAL_CROSSENTROPY_LAST_AXIS_GRAD;
  const { target, probs, rows, width, low, high, shape } = readRows(args, kernel);
  const dyInfo = requiredInput(args.inputs, 'dy', kernel);
  const dy = readFloats(args.backend as KernelBackendIO, dyInfo, 'dy');
  if (dy.length !== rows) throw new Error(`${kernel} kernel: dy has ${dy.length} values for ${rows} rows`);
  const wrt = (args.attrs as { wrt?: unknown } | undefined)?.wrt;
  if (wrt !== 'probs' && wrt !== 'target') throw new Error(`${kernel} kernel: attribute wrt must be 'probs' or 'target'`);
  const lowStored = fround(low), highStored = fround(high);
  const out = new Float32Array(probs.length);
  for (let r = 0; r < rows; r++) {
    const start = r * width, end = start + width;
    const s = rowSum(probs, start, end);
    const d = dy[r];
    if (wrt === 'target') {
      for (let i = start; i < end; i++) out[i] = -d * fround(log(clip(fround(probs[i] / s), low, high)));
      continue;
    }
    // g_k = dL/dn_k, kept in `out` until the row's weighted sum is known.
    let weighted = 0;
    for (let i = start; i < end; i++) {
      const n = fround(probs[i] / s);
      // The clip's gradient compares with the bounds as float32 tensors, bounds included.
      const g = n >= lowStored && n <= highStored ? -target[i] / clip(n, low, high) : 0;
      out[i] = g;
      weighted += g * probs[i];
    }
    const shared = weighted / (s * s);
    for (let i = start; i < end; i++) out[i] = d * (out[i] / s - shared);
  }
  return makeOutput(args.backend as KernelBackendIO, shape, out);
}

export const categoricalCrossentropyGradConfig: tf.GradConfig = {
  kernelName: CATEGORICAL_CROSSENTROPY_LAST_AXIS,
  inputsToSave: ['target', 'probs'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const [target, probs] = saved;
    const epsilon = (attrs as { epsilon: number }).epsilon;
    const grad = (wrt: 'probs' | 'target') => () =>
      tf.engine().runKernel(CATEGORICAL_CROSSENTROPY_LAST_AXIS_GRAD, { dy: dy as tf.Tensor, target, probs }, { epsilon, wrt }) as tf.Tensor;
    return { target: grad('target'), probs: grad('probs') };
  },
};
