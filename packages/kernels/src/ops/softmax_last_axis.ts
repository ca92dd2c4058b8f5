/**
 * softmaxLastAxis(x): softmax over the last axis as one differentiable tfjs op (kernel
 * 'SoftmaxLastAxis', gradient through 'SoftmaxLastAxisGrad'). Equal to tf.softmax(x, -1), in one pass
 * per row on the cpu backend instead of broadcasting ops.
 */
import * as tf from '@tensorflow/tfjs';
import { registerRowKernels } from '../registration/register_row_kernels';
import { SOFTMAX_LAST_AXIS } from '../registration/softmax_kernels';

export function softmaxLastAxis(x: tf.Tensor): tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new Error(`softmaxLastAxis: expected a tf.Tensor, got ${x === null ? 'null' : typeof x}.`);
  if (x.rank === 0) throw new Error('softmaxLastAxis: expected a tensor of rank >= 1 (softmax runs over its last axis), got a scalar.');
  if (x.dtype !== 'float32') throw new Error(`softmaxLastAxis: expected float32 values, got ${x.dtype}; cast with tf.cast(x, 'float32').`);
  registerRowKernels();
  return tf.engine().runKernel(SOFTMAX_LAST_AXIS, { x }, {}) as tf.Tensor;
}
