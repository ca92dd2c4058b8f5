/**
 * The 'Conv1DFused' kernel (conv1d_spec.ts: x [batch, length, channels] padded, kernel [kernelSize,
 * channels, filters], optionally bias [filters] -> y [batch, steps, filters], relu applied when the
 * attributes say so) and its gradient kernel 'Conv1DFusedGrad' (dx, dKernel and dBias in one call of
 * the implementation the forward recorded).
 */
import * as tf from '@tensorflow/tfjs';
import { conv1dImplementationFor } from '../backend/implementation_choice';
import { conv1dSteps, type Conv1DActivation, type Conv1DDims } from '../conv1d_spec';
import { makeOutput, readFloats, readOptional, type KernelBackendIO } from './backend_io';
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
  /** Applied after the product and bias. Absent = 'linear'. */
  activation?: Conv1DActivation;
  /** true when the op was given a bias (input 'bias'): the gradient kernel then computes dBias. Absent = false. */
  hasBias?: boolean;
  /** false when the op found that nothing can need the gradient of x: the gradient kernel then skips
   * dx and returns a [0] placeholder. Absent = true. */
  computeInputGradient?: boolean;
}

function dimsOf(x: tf.TensorInfo, kernel: tf.TensorInfo, attrs: Conv1DFusedAttrs): Conv1DDims {
  const [batch, length, channels] = x.shape;
  const [kernelSize, , filters] = kernel.shape;
  return { batch, length, channels, filters, kernelSize, stride: attrs.stride, dilation: attrs.dilation };
}

/** inputs { x, kernel, bias (optional) } -> y [batch, steps, filters]. */
export function conv1dFusedKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as Conv1DFusedAttrs;
  const x = input(args.inputs, 'x', CONV1D_FUSED);
  const kernel = input(args.inputs, 'kernel', CONV1D_FUSED);
  const dims = dimsOf(x, kernel, attrs);
  const y = conv1dImplementationFor(attrs.implementation).forward({
    ...dims,
    x: readFloats(backend, x, 'x'),
    kernel: readFloats(backend, kernel, 'kernel'),
    bias: readOptional(backend, args.inputs.bias, 'bias'),
    activation: attrs.activation ?? 'linear',
  });
  const steps = conv1dSteps(dims.length, dims.kernelSize, dims.stride, dims.dilation);
  return makeOutput(backend, [dims.batch, steps, dims.filters], y);
}

/**
 * inputs { x, kernel, dy, y (the forward's output; with relu) } -> [dx (a [0] placeholder when
 * computeInputGradient is false), dKernel, dBias (a [0] placeholder without a bias)].
 */
export function conv1dFusedGradKernel(args: RowKernelArgs): tf.TensorInfo[] {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as Conv1DFusedAttrs;
  const x = input(args.inputs, 'x', CONV1D_FUSED_GRAD);
  const kernel = input(args.inputs, 'kernel', CONV1D_FUSED_GRAD);
  const dy = input(args.inputs, 'dy', CONV1D_FUSED_GRAD);
  const dims = dimsOf(x, kernel, attrs);
  const wantDx = attrs.computeInputGradient !== false;
  const wantDBias = attrs.hasBias === true;
  const { dx, dKernel, dBias } = conv1dImplementationFor(attrs.implementation).backward({
    ...dims,
    x: readFloats(backend, x, 'x'),
    kernel: readFloats(backend, kernel, 'kernel'),
    activation: attrs.activation ?? 'linear',
    dy: readFloats(backend, dy, 'dy'),
    computeInputGradient: wantDx,
    computeBiasGradient: wantDBias,
    y: readOptional(backend, args.inputs.y, 'y'),
  });
  return [
    makeOutput(backend, wantDx ? x.shape : [0], dx),
    makeOutput(backend, kernel.shape, dKernel),
    makeOutput(backend, wantDBias ? [dims.filters] : [0], dBias),
  ];
}

/**
 * Every gradient from one run of 'Conv1DFusedGrad' per backward pass. The output is saved for relu's
 * gradient (its mask); the bias's value is not needed, only whether there is one.
 */
export const conv1dFusedGradConfig: tf.GradConfig = {
  kernelName: CONV1D_FUSED,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, kernel, y] = saved;
    const activation = (attrs as unknown as Conv1DFusedAttrs).activation ?? 'linear';
    const inputs: tf.NamedTensorMap = { x, kernel, dy: dy as tf.Tensor };
    if (activation === 'relu') inputs.y = y;
    const run = (kernelAttrs: tf.NamedAttrMap) => tf.engine().runKernel(CONV1D_FUSED_GRAD, inputs, kernelAttrs) as tf.Tensor[];
    const [dx, dKernel, dBias] = run(attrs);
    return {
      // The op skipped dx when nothing seemed to need it; tfjs asks for it anyway when x itself is
      // differentiated (tf.grad(f)(x) with x plain data): then the gradient runs again, with dx.
      x: () => (dx.size > 0 || x.size === 0 ? dx : run({ ...attrs, computeInputGradient: true })[0]),
      kernel: () => dKernel,
      bias: () => dBias,
    };
  },
};

export const registerConv1DKernels = kernelSetRegistrar(
  [[CONV1D_FUSED, conv1dFusedKernel], [CONV1D_FUSED_GRAD, conv1dFusedGradKernel]],
  [conv1dFusedGradConfig],
);
