/**
 * softmaxLastAxis(x): softmax over the last axis as one differentiable tfjs op (kernel
 * 'SoftmaxLastAxis', gradient through 'SoftmaxLastAxisGrad'). Equal to tf.softmax(x, -1), in one pass
 * per row on the cpu backend instead of broadcasting ops.
 *
 * Each result remembers the logits it came from (softmaxLogitsOf), as Keras's softmax activation keeps
 * `_keras_logits` on its output: a categorical cross-entropy of these probabilities is then computed
 * from the logits (softmaxCrossEntropyLastAxis).
 */
import * as tf from '@tensorflow/tfjs';
import { registerRowKernels } from '../registration/register_row_kernels';
import { SOFTMAX_LAST_AXIS } from '../registration/softmax_kernels';

/** Output -> input of each softmaxLastAxis call; weak, so neither tensor object is kept alive by it. */
const LOGITS_OF_OUTPUT = new WeakMap<tf.Tensor, tf.Tensor>();

export function softmaxLastAxis(x: tf.Tensor): tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new Error(`softmaxLastAxis: expected a tf.Tensor, got ${x === null ? 'null' : typeof x}.`);
  if (x.rank === 0) throw new Error('softmaxLastAxis: expected a tensor of rank >= 1 (softmax runs over its last axis), got a scalar.');
  if (x.dtype !== 'float32') throw new Error(`softmaxLastAxis: expected float32 values, got ${x.dtype}; cast with tf.cast(x, 'float32').`);
  registerRowKernels();
  const y = tf.engine().runKernel(SOFTMAX_LAST_AXIS, { x }, {}) as tf.Tensor;
  LOGITS_OF_OUTPUT.set(y, x);
  return y;
}

/** The logits `probs` was computed from by softmaxLastAxis, while they are not disposed; else null. */
export function softmaxLogitsOf(probs: tf.Tensor): tf.Tensor | null {
  const logits = LOGITS_OF_OUTPUT.get(probs);
  return logits === undefined || logits.isDisposed ? null : logits;
}
