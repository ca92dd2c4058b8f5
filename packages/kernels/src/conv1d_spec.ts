/**
 * The contract of the fused 1-D convolution, shared by the native addon and the TypeScript kernels
 * (flat Float32Arrays and sizes in, flat arrays out; both agree to 1e-5). Channels last, one group,
 * over an input already padded by the caller ('same' and 'causal' padding are zeros the layer adds):
 *
 *   y[b, t, f] = sum_j sum_c x[b, t*stride + j*dilation, c] * kernel[j, c, f]
 *   for t < steps = floor((length - dilation*(kernelSize-1) - 1) / stride) + 1.
 *
 *
 * Optionally followed by a bias and relu, as a layer's `activation(y + bias)`: y[b, t, f] += bias[f],
 * then max(0, y) (NaN staying NaN); each the same float operation as the separate ops, so the values
 * are the same bits. Their gradients: relu's masks dy by the output (dy where y > 0, dy * 0 elsewhere,
 * NaN where y is NaN), and the bias's is ones[1, batch*steps] · dz rounded as tfjs's matrix product
 * rounds it (float64 sums over blocks of 48 rows, each added to the float32 result).
 */

/** The activation fused after the product: 'relu', or 'linear' (none). */
export type Conv1DActivation = 'linear' | 'relu';

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

interface Conv1DOperands extends Conv1DDims {
  x: Float32Array; // [batch, length, channels]
  kernel: Float32Array; // [kernelSize, channels, filters]
  activation: Conv1DActivation;
}

export interface Conv1DForwardRequest extends Conv1DOperands {
  bias: Float32Array | null; // [filters], or null for none
}

export interface Conv1DBackwardRequest extends Conv1DOperands {
  dy: Float32Array; // [batch, steps, filters], the gradient of the activated output
  /** false when nothing needs the gradient of x: dx is then not computed and comes back empty. Absent = true. */
  computeInputGradient?: boolean;
  /** true when the forward added a bias: dBias is computed. Absent = false. */
  computeBiasGradient?: boolean;
  /** The forward's output [batch, steps, filters]: relu's gradient masks by it; null allowed for 'linear'. */
  y: Float32Array | null;
}

export interface Conv1DBackwardResult {
  dx: Float32Array; // [batch, length, channels]; empty when the request said computeInputGradient: false
  dKernel: Float32Array; // [kernelSize, channels, filters]
  dBias: Float32Array; // [filters]; empty unless the request said computeBiasGradient: true
}

const CONV1D_SHARED_FIELDS = [
  'batch', 'length', 'channels', 'filters', 'kernelSize', 'stride', 'dilation', 'x', 'kernel',
] as const satisfies readonly (keyof Conv1DOperands)[];

/** The fields of a forward request in the order the addon takes them as arguments. */
export const CONV1D_FORWARD_FIELDS = [
  ...CONV1D_SHARED_FIELDS, 'bias', 'activation',
] as const satisfies readonly (keyof Conv1DForwardRequest)[];

/** The fields of a backward request in the order the addon takes them as arguments. */
export const CONV1D_BACKWARD_FIELDS = [
  ...CONV1D_SHARED_FIELDS, 'activation', 'dy', 'computeInputGradient', 'computeBiasGradient', 'y',
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
