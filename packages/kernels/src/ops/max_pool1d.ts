/**
 * maxPool1d(): the maximum of each window of `poolSize` steps, every `strides` steps, over axis 1 of
 * x [batch, steps, channels], as one differentiable tfjs op (kernel 'MaxPool1DWindows', gradient
 * 'MaxPool1DWindowsGrad': each window's gradient to its first maximum). Equal in value and gradient
 * to the maxima of the window's taps combined pairwise with tf.maximum, padding never winning.
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { checkMaxPool1DAttrs, MAX_POOL_1D, type MaxPool1DAttrs } from '../registration/max_pool1d_kernels';
import { registerRowKernels } from '../registration/register_row_kernels';

export interface MaxPool1DOptions {
  poolSize: number;
  strides: number;
  /** Padding steps before the first step ('same' padding puts floor(total / 2) there); 0 for 'valid'. */
  padBefore: number;
  /** Number of windows (at least one real step each, or -Infinity). */
  outLength: number;
  /** Named in errors, e.g. "MaxPooling1D 'max_pooling1d'". Default 'maxPool1d'. */
  context?: string;
}

/** x [batch, steps, channels] float32 -> [batch, outLength, channels]. */
export function maxPool1d(x: tf.Tensor, options: MaxPool1DOptions): tf.Tensor {
  const context = options.context ?? 'maxPool1d';
  if (!(x instanceof tf.Tensor) || x.rank !== 3 || x.dtype !== 'float32') {
    const got = x instanceof tf.Tensor ? `shape [${x.shape.join(', ')}] (${x.dtype})` : typeof x;
    throw new Error(`${context}: x must be a float32 tf.Tensor [batch, steps, channels], got ${got}.`);
  }
  if (x.isDisposed) throw new Error(`${context}: x has been disposed.`);
  const attrs: MaxPool1DAttrs = {
    poolSize: options.poolSize, strides: options.strides, padBefore: options.padBefore, outLength: options.outLength,
    implementation: activeImplementation().name,
  };
  checkMaxPool1DAttrs(attrs, context);
  registerRowKernels();
  return tf.engine().runKernel(MAX_POOL_1D, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
