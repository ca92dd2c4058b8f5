/**
 * 'SoftmaxCrossEntropyLastAxis' (categorical cross-entropy of a softmax over the last axis, computed
 * from its logits) and its gradient kernel 'SoftmaxCrossEntropyLastAxisGrad', one pass per row each.
 * This is Keras's loss when the predictions come out of a softmax activation (its TensorFlow backend
 * takes the activation's logits, `_keras_logits`, and runs softmax_cross_entropy_with_logits):
 *
 *   loss = sum_i t_i * (lse - x_i),   lse = log(sum_j exp(x_j)),
 *   dL/dx_i = dy * (p_i * sum_j t_j - t_i),   dL/dt_i = dy * (lse - x_i),
 *
 * with p = softmax(x). Both kernels also take p, the softmax the forward pass already computed, so
 * neither evaluates an exponential: the gradient uses p directly, and lse = x_k - log(p_k) at the
 * row's largest probability k (p_k >= 1 / classes, so its logarithm is as exact as p_k itself: within
 * float32 rounding of the lse summed from the logits). Sums are taken in float64. A zero target adds
 * nothing (as in the loss of probabilities, and one-hot rows need no other entry); NaN in a row of
 * logits makes its probabilities, and so its loss and gradient, NaN.
 *
 * With the attribute `sparse`, the target holds one class id per row (shape [...], float32): the row's
 * target is the one-hot vector of that id, and an id outside [0, classes) (or not an integer) is an
 * all-zero row, with no loss and no gradient, as tf.oneHot makes it. Class ids get no gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { requiredInput, rowsAndWidth, type RowKernelArgs } from './row_kernel_io';

/** Read once: a global lookup per element is slow where code runs in a vm context (Jest). */
const log = Math.log;

export const SOFTMAX_CROSSENTROPY_LAST_AXIS = 'SoftmaxCrossEntropyLastAxis';
export const SOFTMAX_CROSSENTROPY_LAST_AXIS_GRAD = 'SoftmaxCrossEntropyLastAxisGrad';

interface Rows {
  target: Float32Array;
  logits: Float32Array;
  probs: Float32Array;
  rows: number;
  width: number;
  shape: number[];
  /** The target holds one class id per row. */
  sparse: boolean;
}

function readRows(args: RowKernelArgs, kernel: string): Rows {
  const backend = args.backend as KernelBackendIO;
  const sparse = (args.attrs as { sparse?: unknown } | undefined)?.sparse === true;
  const infos = (['target', 'logits', 'probs'] as const).map((name) => requiredInput(args.inputs, name, kernel));
  const shape = infos[1].shape;
  const targetShape = sparse ? shape.slice(0, -1) : shape;
  if (shape.length === 0 || !tf.util.arraysEqual(infos[0].shape, targetShape) || !tf.util.arraysEqual(infos[2].shape, shape)) {
    const which = sparse ? 'logits and probs must have one shape of rank >= 1 and the target (class ids) that shape without its last axis' : 'target, logits and probs must have one shape of rank >= 1';
    throw new Error(`${kernel} kernel: ${which}, got ${infos.map((i) => `[${i.shape.join(', ')}]`).join(', ')}`);
  }
  const { rows, width } = rowsAndWidth(shape);
  return {
    target: readFloats(backend, infos[0], 'target'),
    logits: readFloats(backend, infos[1], 'logits'),
    probs: readFloats(backend, infos[2], 'probs'),
    rows, width, shape: [...shape], sparse,
  };
}

/** The class id of a sparse target row, or -1 when it names no class (an all-zero row). */
function classId(value: number, width: number): number {
  return Number.isInteger(value) && value >= 0 && value < width ? value : -1;
}

/** log(sum(exp(x))) of the row [start, end), from its softmax: x_k - log(p_k) at the largest p_k. */
function rowLogSumExp(logits: Float32Array, probs: Float32Array, start: number, end: number): number {
  let k = start;
  for (let i = start + 1; i < end; i++) if (probs[i] > probs[k]) k = i;
  // A NaN row (NaN logits give NaN probabilities) keeps k = start, and its lse is NaN.
  return logits[k] - log(probs[k]);
}

/** inputs { target, logits, probs } [..., classes] -> loss [...]. */
export function softmaxCrossEntropyKernel(args: RowKernelArgs): tf.TensorInfo {
  const { target, logits, probs, rows, width, shape, sparse } = readRows(args, SOFTMAX_CROSSENTROPY_LAST_AXIS);
  const loss = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = r * width, end = start + width;
    const lse = rowLogSumExp(logits, probs, start, end);
    if (sparse) {
      const id = classId(target[r], width);
      loss[r] = id < 0 ? 0 : lse - logits[start + id];
      continue;
    }
    let sum = 0;
    for (let i = start; i < end; i++) {
      const t = target[i];
      if (t !== 0) sum += t * (lse - logits[i]);
    }
    loss[r] = sum;
  }
  return makeOutput(args.backend as KernelBackendIO, shape.slice(0, -1), loss);
}

/** inputs { dy [...], target, logits, probs }, attrs { wrt: 'logits' | 'target' } -> the gradient wrt that input. */
export function softmaxCrossEntropyGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const kernel = SOFTMAX_CROSSENTROPY_LAST_AXIS_GRAD;
  const { target, logits, probs, rows, width, shape, sparse } = readRows(args, kernel);
  const dy = readFloats(args.backend as KernelBackendIO, requiredInput(args.inputs, 'dy', kernel), 'dy');
  if (dy.length !== rows) throw new Error(`${kernel} kernel: dy has ${dy.length} values for ${rows} rows`);
  const wrt = (args.attrs as { wrt?: unknown } | undefined)?.wrt;
  if (wrt !== 'logits' && wrt !== 'target') throw new Error(`${kernel} kernel: attribute wrt must be 'logits' or 'target'`);
  if (sparse && wrt === 'target') return makeOutput(args.backend as KernelBackendIO, shape.slice(0, -1), new Float32Array(rows));
  const out = new Float32Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const start = r * width, end = start + width;
    const d = dy[r];
    if (sparse) {
      const id = classId(target[r], width);
      if (id < 0) continue;
      for (let i = start; i < end; i++) out[i] = d * probs[i];
      out[start + id] = d * (probs[start + id] - 1);
      continue;
    }
    if (wrt === 'target') {
      const lse = rowLogSumExp(logits, probs, start, end);
      for (let i = start; i < end; i++) out[i] = d * (lse - logits[i]);
      continue;
    }
    let targetSum = 0;
    for (let i = start; i < end; i++) targetSum += target[i];
    for (let i = start; i < end; i++) out[i] = d * (probs[i] * targetSum - target[i]);
  }
  return makeOutput(args.backend as KernelBackendIO, shape, out);
}

/**
 * The probabilities are data to this op (the op passes an alias of them that the gradient tape does
 * not connect to the softmax that made them): the gradient of the logits already includes the
 * softmax's, so nothing flows into probs.
 */
export const softmaxCrossEntropyGradConfig: tf.GradConfig = {
  kernelName: SOFTMAX_CROSSENTROPY_LAST_AXIS,
  inputsToSave: ['target', 'logits', 'probs'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const [target, logits, probs] = saved;
    const sparse = (attrs as { sparse?: boolean } | undefined)?.sparse === true;
    const grad = (wrt: 'logits' | 'target') => () =>
      tf.engine().runKernel(SOFTMAX_CROSSENTROPY_LAST_AXIS_GRAD, { dy: dy as tf.Tensor, target, logits, probs }, { wrt, sparse }) as tf.Tensor;
    return {
      target: grad('target'),
      logits: grad('logits'),
      probs: () => {
        throw new Error(`${SOFTMAX_CROSSENTROPY_LAST_AXIS}: no gradient flows into probs; pass the op the softmax's output as data (softmaxCrossEntropyLastAxis does).`);
      },
    };
  },
};
