/**
 * The 'MaxPool1DWindows' kernel (the maximum of each window of `poolSize` steps, every `strides`
 * steps, over axis 1 of x [batch, steps, channels]) and its gradient kernel 'MaxPool1DWindowsGrad'
 * (each window's dy added to the step that holds the window's first maximum, TensorFlow's
 * MaxPoolGrad rule), on the implementation the op recorded (row_ops_spec.ts: the addon's loops,
 * vectorised over the channels, or TypeScript loops). Built from taps (strided slices and pairwise
 * maxima), the same pooling costs tfjs a full-size tensor per tap in the backward pass.
 *
 * Window t covers steps [t*strides - padBefore, t*strides - padBefore + poolSize); steps outside
 * [0, steps) are padding, which never wins (a window of padding only gives -Infinity and no
 * gradient). A NaN in a window makes its maximum NaN and passes no gradient, as the pairwise maxima
 * do (every comparison with NaN is false).
 */
import * as tf from '@tensorflow/tfjs';
import { rowOpsFor, type ImplementationName } from '../backend/implementation_choice';
import type { MaxPool1DRequest } from '../row_ops_spec';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { requiredInput as input, type RowKernelArgs } from './row_kernel_io';

export const MAX_POOL_1D = 'MaxPool1DWindows';
export const MAX_POOL_1D_GRAD = 'MaxPool1DWindowsGrad';

/** Attributes of both kernels (plain values, as tfjs NamedAttrMap requires). */
export interface MaxPool1DAttrs {
  poolSize: number;
  strides: number;
  /** Padding steps before the first step ('same' padding); 0 for 'valid'. */
  padBefore: number;
  /** Number of windows. */
  outLength: number;
  /** The implementation chosen by the op, so forward and backward agree. Absent: the active one. */
  implementation?: ImplementationName;
}

/** Throws, naming `where`, unless every attribute is an integer in its range. */
export function checkMaxPool1DAttrs(attrs: MaxPool1DAttrs, where: string): void {
  const { poolSize, strides, padBefore, outLength } = attrs;
  for (const [name, value, min] of [['poolSize', poolSize, 1], ['strides', strides, 1], ['padBefore', padBefore, 0], ['outLength', outLength, 0]] as const) {
    if (!Number.isInteger(value) || value < min) throw new Error(`${where}: ${name} must be an integer >= ${min}, got ${value}.`);
  }
}

/** The request of row_ops_spec.ts for x and the attributes. */
function poolRequest(backend: KernelBackendIO, x: tf.TensorInfo, attrs: MaxPool1DAttrs, kernel: string): MaxPool1DRequest {
  if (x.shape.length !== 3) throw new Error(`${kernel} kernel: x must be [batch, steps, channels], got [${x.shape.join(', ')}]`);
  checkMaxPool1DAttrs(attrs, `${kernel} kernel`);
  const [batch, steps, channels] = x.shape;
  const { poolSize, strides, padBefore, outLength } = attrs;
  return { batch, steps, channels, poolSize, strides, padBefore, outLength, x: readFloats(backend, x, 'x') };
}

/** inputs { x [batch, steps, channels] float32 } -> [batch, outLength, channels]. */
export function maxPool1DKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as MaxPool1DAttrs;
  const req = poolRequest(backend, input(args.inputs, 'x', MAX_POOL_1D), attrs, MAX_POOL_1D);
  return makeOutput(backend, [req.batch, attrs.outLength, req.channels], rowOpsFor(attrs.implementation).maxPool1dForward(req));
}

/** inputs { x [batch, steps, channels], dy [batch, outLength, channels] } -> dx, the shape of x. */
export function maxPool1DGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as MaxPool1DAttrs;
  const xInfo = input(args.inputs, 'x', MAX_POOL_1D_GRAD);
  const dyInfo = input(args.inputs, 'dy', MAX_POOL_1D_GRAD);
  const req = poolRequest(backend, xInfo, attrs, MAX_POOL_1D_GRAD);
  const expected = [req.batch, attrs.outLength, req.channels];
  if (dyInfo.shape.length !== 3 || dyInfo.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${MAX_POOL_1D_GRAD} kernel: dy has shape [${dyInfo.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const dx = rowOpsFor(attrs.implementation).maxPool1dBackward({ ...req, dy: readFloats(backend, dyInfo, 'dy') });
  return makeOutput(backend, [...xInfo.shape], dx);
}

/** x's gradient through 'MaxPool1DWindowsGrad'. */
export const maxPool1DGradConfig: tf.GradConfig = {
  kernelName: MAX_POOL_1D,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x] = saved;
    return { x: () => tf.engine().runKernel(MAX_POOL_1D_GRAD, { x, dy: dy as tf.Tensor }, attrs) as tf.Tensor };
  },
};
