/**
 * 'SoftmaxLastAxis' (softmax over the last axis) and its gradient kernel 'SoftmaxLastAxisGrad'
 * (dx = y * (dy - sum(dy * y))), one pass per row each. tfjs's softmax on the cpu backend subtracts
 * the row maximum and divides by the row sum with broadcasting ops, which walk every element through
 * a generic index conversion; its gradient does the same. Sums are taken in float64. The exponentials
 * are expNonPositive's (Math.exp's float32 values, without a library call per element).
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { softmaxRows } from '../ops/softmax_rows';
import { requiredInput, rowsAndWidth, type RowKernelArgs } from './row_kernel_io';

export const SOFTMAX_LAST_AXIS = 'SoftmaxLastAxis';
export const SOFTMAX_LAST_AXIS_GRAD = 'SoftmaxLastAxisGrad';

/** inputs { x [..., classes] float32 } -> softmax over the last axis, same shape. */
export function softmaxLastAxisKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const x = requiredInput(args.inputs, 'x', SOFTMAX_LAST_AXIS);
  const values = readFloats(backend, x, 'x');
  const { width } = rowsAndWidth(x.shape);
  const y = new Float32Array(values.length);
  if (values.length > 0) softmaxRows(values, width, y);
  return makeOutput(backend, [...x.shape], y);
}

/** inputs { dy, y } (y = the forward output) -> dx = y * (dy - sum(dy * y, last axis)). */
export function softmaxLastAxisGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const dyInfo = requiredInput(args.inputs, 'dy', SOFTMAX_LAST_AXIS_GRAD);
  const yInfo = requiredInput(args.inputs, 'y', SOFTMAX_LAST_AXIS_GRAD);
  const dy = readFloats(backend, dyInfo, 'dy');
  const y = readFloats(backend, yInfo, 'y');
  if (dy.length !== y.length) {
    throw new Error(`${SOFTMAX_LAST_AXIS_GRAD} kernel: dy has shape [${dyInfo.shape.join(', ')}], y [${yInfo.shape.join(', ')}]; they must match`);
  }
  const { rows, width } = rowsAndWidth(yInfo.shape);
  const dx = new Float32Array(y.length);
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    const end = start + width;
    let dot = 0;
    for (let i = start; i < end; i++) dot += dy[i] * y[i];
    for (let i = start; i < end; i++) dx[i] = y[i] * (dy[i] - dot);
  }
  return makeOutput(backend, [...yInfo.shape], dx);
}

/** The gradient reads the forward output, which the forward pass keeps for it. */
export const softmaxLastAxisGradConfig: tf.GradConfig = {
  kernelName: SOFTMAX_LAST_AXIS,
  outputsToSave: [true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [y] = saved;
    return { x: () => tf.engine().runKernel(SOFTMAX_LAST_AXIS_GRAD, { dy: dy as tf.Tensor, y }, {}) as tf.Tensor };
  },
};
