/**
 * The 'Conv1DFused' kernel (conv1d_spec.ts: x [batch, length, channels] padded, kernel [kernelSize,
 * channels, filters] -> y [batch, steps, filters]) and its gradient kernel 'Conv1DFusedGrad' (dx and
 * dKernel in one call of the implementation the forward recorded).
 */
import * as tf from '@tensorflow/tfjs';
import { conv1dImplementationFor } from '../backend/implementation_choice';
import { conv1dSteps, type Conv1DDims } from '../conv1d_spec';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { kernelSetRegistrar } from './kernel_set';
import { requiredInput as input, type RowKernelArgs } from './row_kernel_io';

export const CONV1D_FUSED = 'Conv1DFused';
export const CONV1D_FUSED_GRAD = 'Conv1DFusedGrad';

/** Attributes of both kernels (plain values, as tfjs NamedAttrMap requires). */
export interface Conv1DFusedAttrs {
  stride: number;
  dilation: number;
  /** The implementation chosen by the op for this call, so forward and backward agree. */
  implementation: 'native' | 'typescript';
  /** false when the op found that nothing can need the gradient of x: the gradient kernel then skips
   * dx and returns a [0] placeholder. Absent = true. */
  computeInputGradient?: boolean;
}

function dimsOf(x: tf.TensorInfo, kernel: tf.TensorInfo, attrs: Conv1DFusedAttrs): Conv1DDims {
  const [batch, length, channels] = x.shape;
  const [kernelSize, , filters] = kernel.shape;
  return { batch, length, channels, filters, kernelSize, stride: attrs.stride, dilation: attrs.dilation };
}

/** inputs { x, kernel } -> y [batch, steps, filters]. */
export function conv1dFusedKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as Conv1DFusedAttrs;
  const x = input(args.inputs, 'x', CONV1D_FUSED);
  const kernel = input(args.inputs, 'kernel', CONV1D_FUSED);
  const dims = dimsOf(x, kernel, attrs);
  const y = conv1dImplementationFor(attrs.implementation).forward({
    ...dims, x: readFloats(backend, x, 'x'), kernel: readFloats(backend, kernel, 'kernel'),
  });
  const steps = conv1dSteps(dims.length, dims.kernelSize, dims.stride, dims.dilation);
  return makeOutput(backend, [dims.batch, steps, dims.filters], y);
}

/** inputs { x, kernel, dy } -> [dx (a [0] placeholder when computeInputGradient is false), dKernel]. */
export function conv1dFusedGradKernel(args: RowKernelArgs): tf.TensorInfo[] {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as Conv1DFusedAttrs;
  const x = input(args.inputs, 'x', CONV1D_FUSED_GRAD);
  const kernel = input(args.inputs, 'kernel', CONV1D_FUSED_GRAD);
  const dy = input(args.inputs, 'dy', CONV1D_FUSED_GRAD);
  const dims = dimsOf(x, kernel, attrs);
  const wantDx = attrs.computeInputGradient !== false;
  const { dx, dKernel } = conv1dImplementationFor(attrs.implementation).backward({
    ...dims,
    x: readFloats(backend, x, 'x'),
    kernel: readFloats(backend, kernel, 'kernel'),
    dy: readFloats(backend, dy, 'dy'),
    computeInputGradient: wantDx,
  });
  return [makeOutput(backend, wantDx ? x.shape : [0], dx), makeOutput(backend, kernel.shape, dKernel)];
}

/** Both gradients from one run of 'Conv1DFusedGrad' per backward pass. */
export const conv1dFusedGradConfig: tf.GradConfig = {
  kernelName: CONV1D_FUSED,
  inputsToSave: ['x', 'kernel'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, kernel] = saved;
    const run = (kernelAttrs: tf.NamedAttrMap) =>
      tf.engine().runKernel(CONV1D_FUSED_GRAD, { x, kernel, dy: dy as tf.Tensor }, kernelAttrs) as tf.Tensor[];
    const [dx, dKernel] = run(attrs);
    return {
      // The op skipped dx when nothing seemed to need it; tfjs asks for it anyway when x itself is
      // differentiated (tf.grad(f)(x) with x plain data): then the gradient runs again, with dx.
      x: () => (dx.size > 0 || x.size === 0 ? dx : run({ ...attrs, computeInputGradient: true })[0]),
      kernel: () => dKernel,
    };
  },
};

export const registerConv1DKernels = kernelSetRegistrar(
  [[CONV1D_FUSED, conv1dFusedKernel], [CONV1D_FUSED_GRAD, conv1dFusedGradKernel]],
  [conv1dFusedGradConfig],
);
