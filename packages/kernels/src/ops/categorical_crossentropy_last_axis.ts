/**
 * categoricalCrossentropyLastAxis(target, probs, epsilon): Keras's categorical cross-entropy of
 * probabilities over the last axis (rows normalised to sum to one, clipped to [epsilon, 1 - epsilon],
 * -sum(target * log(.))), one value per row, as one differentiable tfjs op (kernel
 * 'CategoricalCrossentropyLastAxis', gradient through 'CategoricalCrossentropyLastAxisGrad').
 */
import * as tf from '@tensorflow/tfjs';
import { CATEGORICAL_CROSSENTROPY_LAST_AXIS } from '../registration/crossentropy_kernels';
import { registerRowKernels } from '../registration/register_row_kernels';

export function categoricalCrossentropyLastAxis(target: tf.Tensor, probs: tf.Tensor, epsilon: number): tf.Tensor {
  for (const [name, t] of [['target', target], ['probs', probs]] as const) {
    if (!(t instanceof tf.Tensor)) throw new Error(`categoricalCrossentropyLastAxis: expected ${name} to be a tf.Tensor, got ${t === null ? 'null' : typeof t}.`);
    if (t.dtype !== 'float32') throw new Error(`categoricalCrossentropyLastAxis: expected float32 ${name}, got ${t.dtype}; cast with tf.cast(${name}, 'float32').`);
  }
  if (probs.rank === 0 || !tf.util.arraysEqual(target.shape, probs.shape)) {
    throw new Error(`categoricalCrossentropyLastAxis: target [${target.shape}] and probs [${probs.shape}] must have one shape of rank >= 1 (classes last).`);
  }
  if (!(epsilon >= 0 && epsilon < 0.5)) throw new Error(`categoricalCrossentropyLastAxis: epsilon must be in [0, 0.5), got ${epsilon}.`);
  registerRowKernels();
  return tf.engine().runKernel(CATEGORICAL_CROSSENTROPY_LAST_AXIS, { target, probs }, { epsilon }) as tf.Tensor;
}
