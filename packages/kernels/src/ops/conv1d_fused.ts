/**
 * conv1dFused(): the 1-D convolution of conv1d_spec.ts (channels last, one group, over an input the
 * caller has padded) as one differentiable tfjs op, kernel 'Conv1DFused', on the active
 * implementation (the native addon's matrix-product micro-kernel, or the TypeScript kernels).
 * Equal to tf.conv1d(x, kernel, stride, 'valid', 'NWC', dilation) in value and gradients; with `bias`
 * and `activation: 'relu'`, to relu(conv + bias) computed by the separate ops, bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { conv1dSteps, type Conv1DActivation } from '../conv1d_spec';
import { CONV1D_FUSED, registerConv1DKernels, type Conv1DFusedAttrs } from '../registration/conv1d_kernels';
import { inputMayNeedGradient } from './input_gradient_need';

export interface Conv1DFusedOptions {
  /** Default 1. */
  stride?: number;
  /** Default 1. */
  dilation?: number;
  /** Named in errors, e.g. "Conv1D 'conv1d'". Default 'conv1dFused'. */
  context?: string;
  /** float32 [filters], added to every output step. Default: none. */
  bias?: tf.Tensor;
  /** Applied after the bias. Default 'linear'. */
  activation?: Conv1DActivation;
  /**
   * The tensor x was made from by ops with no trainable input (the caller's pad, cast or transpose).
   * Whether dx is computed is decided from it: those ops are on the gradient tape even when their input
   * is data, so x alone would always ask for dx. Default: x itself.
   */
  inputOrigin?: tf.Tensor;
}

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `shape [${value.shape.join(', ')}] (${value.dtype})`;
  return value === null ? 'null' : typeof value;
}

function positive(context: string, name: string, value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 2147483647) {
    throw new Error(`${context}: ${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/** x [batch, length, channels] float32, kernel [kernelSize, channels, filters] float32 -> [batch, steps, filters]. */
export function conv1dFused(x: tf.Tensor, kernel: tf.Tensor, opts: Conv1DFusedOptions = {}): tf.Tensor {
  const context = opts.context ?? 'conv1dFused';
  if (!(x instanceof tf.Tensor) || x.rank !== 3 || x.dtype !== 'float32' || x.isDisposed) {
    throw new Error(`${context}: x must be a float32 tf.Tensor of shape [batch, length, channels], got ${describe(x)}.`);
  }
  if (!(kernel instanceof tf.Tensor) || kernel.rank !== 3 || kernel.dtype !== 'float32' || kernel.isDisposed) {
    throw new Error(`${context}: the kernel must be a float32 tf.Tensor of shape [kernelSize, channels, filters], got ${describe(kernel)}.`);
  }
  if (kernel.shape[1] !== x.shape[2]) {
    throw new Error(`${context}: the kernel [${kernel.shape.join(', ')}] expects ${kernel.shape[1]} channels, x has ${x.shape[2]}.`);
  }
  const bias = opts.bias;
  if (bias !== undefined && (!(bias instanceof tf.Tensor) || bias.rank !== 1 || bias.dtype !== 'float32' || bias.isDisposed || bias.shape[0] !== kernel.shape[2])) {
    throw new Error(`${context}: the bias must be a float32 tf.Tensor of shape [${kernel.shape[2]}] (the kernel's filters), got ${describe(bias)}.`);
  }
  const activation = opts.activation ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') {
    throw new Error(`${context}: activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}.`);
  }
  const stride = positive(context, 'stride', opts.stride);
  const dilation = positive(context, 'dilation', opts.dilation);
  const [kernelSize] = kernel.shape as [number, number, number];
  const length = x.shape[1] as number;
  if (kernelSize < 1 || conv1dSteps(length, kernelSize, stride, dilation) < 1) {
    throw new Error(`${context}: x has ${length} steps, fewer than the ${dilation * (kernelSize - 1) + 1} one window of ${kernelSize} taps with dilation ${dilation} covers; pad it first.`);
  }
  registerConv1DKernels();
  const attrs: Conv1DFusedAttrs = {
    stride,
    dilation,
    implementation: activeImplementation().name,
    computeInputGradient: inputMayNeedGradient(opts.inputOrigin instanceof tf.Tensor ? opts.inputOrigin : x),
    activation,
    hasBias: bias !== undefined,
  };
  const inputs: tf.NamedTensorMap = bias === undefined ? { x, kernel } : { x, kernel, bias };
  return tf.engine().runKernel(CONV1D_FUSED, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
