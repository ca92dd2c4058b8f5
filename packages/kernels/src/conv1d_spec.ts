/**
 * The contract of the fused 1-D convolution, shared by the native addon and the TypeScript kernels
 * (flat Float32Arrays and sizes in, flat arrays out; both agree to 1e-5). Channels last, one group,
 * over an input already padded by the caller ('same' and 'causal' padding are zeros the layer adds):
 *
 *   y[b, t, f] = sum_j sum_c x[b, t*stride + j*dilation, c] * kernel[j, c, f]
 *   for t < steps = floor((length - dilation*(kernelSize-1) - 1) / stride) + 1.
 *
 * Bias and activation are not part of it (the layer adds them with ordinary ops).
 */

export interface Conv1DDims {
  batch: number;
  /** Steps of the (padded) input. */
  length: number;
  channels: number;
  filters: number;
  kernelSize: number;
  stride: number;
  dilation: number;
}

export interface Conv1DForwardRequest extends Conv1DDims {
  x: Float32Array; // [batch, length, channels]
  kernel: Float32Array; // [kernelSize, channels, filters]
}

export interface Conv1DBackwardRequest extends Conv1DForwardRequest {
  dy: Float32Array; // [batch, steps, filters]
  /** false when nothing needs the gradient of x: dx is then not computed and comes back empty. Absent = true. */
  computeInputGradient?: boolean;
}

export interface Conv1DBackwardResult {
  dx: Float32Array; // [batch, length, channels]; empty when the request said computeInputGradient: false
  dKernel: Float32Array; // [kernelSize, channels, filters]
}

/** The fields of a forward request in the order the addon takes them as arguments. */
export const CONV1D_FORWARD_FIELDS = [
  'batch', 'length', 'channels', 'filters', 'kernelSize', 'stride', 'dilation', 'x', 'kernel',
] as const satisfies readonly (keyof Conv1DForwardRequest)[];

/** The fields of a backward request in the order the addon takes them as arguments. */
export const CONV1D_BACKWARD_FIELDS = [
  ...CONV1D_FORWARD_FIELDS, 'dy', 'computeInputGradient',
] as const satisfies readonly (keyof Conv1DBackwardRequest)[];

export interface Conv1DImplementation {
  readonly name: 'native' | 'typescript';
  /** y [batch, steps, filters]. */
  forward(req: Conv1DForwardRequest): Float32Array;
  backward(req: Conv1DBackwardRequest): Conv1DBackwardResult;
}

/** Output steps of the window over `length` steps, or -1 when a single window does not fit. */
export function conv1dSteps(length: number, kernelSize: number, stride: number, dilation: number): number {
  const span = dilation * (kernelSize - 1) + 1;
  if (length < span) return -1;
  return Math.floor((length - span) / stride) + 1;
}
