/**
 * denseMatMul(x, kernel): x [m, k] · kernel [k, n] as a Dense layer multiplies, one differentiable tfjs
 * op. With the native kernels on the 'cpu' backend it runs the addon's float32 GEMM (kernel
 * 'DenseMatMul', registration/dense_matmul_kernels.ts), forward and for both gradients; otherwise
 * (the TypeScript kernels, another backend, an empty dimension) it is tf.matMul(x, kernel). The two agree
 * within float32 rounding, not bit for bit: tfjs sums in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { DENSE_MATMUL, registerDenseMatMulKernel } from '../registration/dense_matmul_kernels';

export function denseMatMul(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor2D {
  for (const [name, t] of [['x', x], ['kernel', kernel]] as const) {
    if (!(t instanceof tf.Tensor)) throw new Error(`denseMatMul: expected ${name} to be a tf.Tensor, got ${t === null ? 'null' : typeof t}.`);
    if (t.dtype !== 'float32') throw new Error(`denseMatMul: expected float32 ${name}, got ${t.dtype}; cast with tf.cast(${name}, 'float32').`);
    if (t.rank !== 2) throw new Error(`denseMatMul: expected a 2-D ${name}, got shape [${t.shape.join(', ')}]; reshape it to [rows, columns].`);
  }
  if (x.shape[1] !== kernel.shape[0]) {
    throw new Error(`denseMatMul: x [${x.shape.join(', ')}] has ${x.shape[1]} columns but kernel [${kernel.shape.join(', ')}] has ${kernel.shape[0]} rows; they must match.`);
  }
  const native = activeImplementation().name === 'native' && tf.getBackend() === 'cpu' && x.size > 0 && kernel.size > 0;
  if (!native) return tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  registerDenseMatMulKernel();
  return tf.engine().runKernel(DENSE_MATMUL, { a: x, b: kernel }, { transposeA: false, transposeB: false }) as tf.Tensor2D;
}
