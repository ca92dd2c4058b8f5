/**
 * maskSteps(x, maskValue): Keras's Masking in one differentiable op (kernel 'MaskSteps', gradient through
 * 'MaskStepsGrad'). For x [..., features]: `output` is x with every step whose features all equal
 * maskValue set to zero, `keep` [...] is 1 for the other steps and 0 for those. The same as
 * x * any(x != maskValue, -1, keepDims) and any(x != maskValue, -1), without broadcasting ops.
 */
import * as tf from '@tensorflow/tfjs';
import { MASK_STEPS, type MaskStepsAttrs } from '../registration/mask_steps_kernels';
import { registerRowKernels } from '../registration/register_row_kernels';

export function maskSteps(x: tf.Tensor, maskValue: number): { output: tf.Tensor; keep: tf.Tensor } {
  if (!(x instanceof tf.Tensor)) throw new Error(`maskSteps: expected a tf.Tensor, got ${x === null ? 'null' : typeof x}.`);
  if (x.rank === 0) throw new Error('maskSteps: expected a tensor of rank >= 1 ([..., features]), got a scalar.');
  if (x.dtype !== 'float32') throw new Error(`maskSteps: expected float32 values, got ${x.dtype}; cast with tf.cast(x, 'float32').`);
  if (typeof maskValue !== 'number') throw new Error(`maskSteps: maskValue must be a number, got ${typeof maskValue}.`);
  registerRowKernels();
  const attrs: MaskStepsAttrs = { maskValue };
  const [output, keep] = tf.engine().runKernel(MASK_STEPS, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { output, keep };
}
