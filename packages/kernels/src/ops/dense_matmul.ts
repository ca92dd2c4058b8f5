/**
 * denseMatMul(x, kernel, bias?): x [m, k] · kernel [k, n] (+ bias [n] on every row) as a Dense layer
 * computes it, one differentiable tfjs op. With the native kernels on the 'cpu' backend it runs the
 * addon's float32 GEMM (kernel 'DenseMatMul', registration/dense_matmul_kernels.ts), forward and for
 * both product gradients, and adds the bias in the same kernel (the bits of tf.add; its gradient the
 * column sums of dy, the bits of tfjs's Add gradient), so a Dense layer is one op on the tape rather
 * than a product, a broadcast Add and the Add's Sum and Reshape in the backward pass. Otherwise (the
 * TypeScript kernels, another backend, an empty dimension) it is tf.matMul(x, kernel) then tf.add.
 * The products agree within float32 rounding, not bit for bit: tfjs sums in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { DENSE_MATMUL, registerDenseMatMulKernel } from '../registration/dense_matmul_kernels';

export function denseMatMul(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null = null): tf.Tensor2D {
  const operands: [string, tf.Tensor][] = [['x', x], ['kernel', kernel]];
  for (const [name, t] of operands) {
    if (!(t instanceof tf.Tensor)) throw new Error(`denseMatMul: expected ${name} to be a tf.Tensor, got ${t === null ? 'null' : typeof t}.`);
    if (t.dtype !== 'float32') throw new Error(`denseMatMul: expected float32 ${name}, got ${t.dtype}; cast with tf.cast(${name}, 'float32').`);
    if (t.rank !== 2) throw new Error(`denseMatMul: expected a 2-D ${name}, got shape [${t.shape.join(', ')}]; reshape it to [rows, columns].`);
  }
  if (x.shape[1] !== kernel.shape[0]) {
    throw new Error(`denseMatMul: x [${x.shape.join(', ')}] has ${x.shape[1]} columns but kernel [${kernel.shape.join(', ')}] has ${kernel.shape[0]} rows; they must match.`);
  }
  if (bias !== null) checkBias(bias, kernel.shape[1] as number);
  const native = denseMatMulRunsNative() && x.size > 0 && kernel.size > 0;
  if (!native) {
    if (bias === null) return tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
    return tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias));
  }
  registerDenseMatMulKernel();
  const inputs: tf.NamedTensorMap = bias === null ? { a: x, b: kernel } : { a: x, b: kernel, bias };
  return tf.engine().runKernel(DENSE_MATMUL, inputs, { transposeA: false, transposeB: false }) as tf.Tensor2D;
}

/** Whether denseMatMul runs the addon's product (the native kernels on the 'cpu' backend) for non-empty operands. */
export function denseMatMulRunsNative(): boolean {
  return activeImplementation().name === 'native' && tf.getBackend() === 'cpu';
}

function checkBias(bias: tf.Tensor, columns: number): void {
  if (!(bias instanceof tf.Tensor)) throw new Error(`denseMatMul: expected bias to be a tf.Tensor or null, got ${typeof bias}.`);
  if (bias.dtype !== 'float32') throw new Error(`denseMatMul: expected a float32 bias, got ${bias.dtype}; cast with tf.cast(bias, 'float32').`);
  if (bias.rank !== 1 || bias.shape[0] !== columns) {
    throw new Error(`denseMatMul: expected a bias of shape [${columns}] (one value per kernel column), got [${bias.shape.join(', ')}].`);
  }
}
