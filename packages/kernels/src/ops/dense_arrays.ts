/**
 * denseArrays: x [rows, k] · kernel [k, n] + bias [n] on plain float32 arrays, the bits denseMatMul gives
 * on the native kernels (the addon's product, then the bias added to every row), without a tfjs op around
 * it: for a caller that holds one step's values as arrays (SequenceStepper), where tfjs's dispatch of the
 * op and of the Dense layer costs several times a small product's arithmetic. Only while
 * `denseMatMulRunsNative()`: otherwise denseMatMul computes other bits (tfjs's product), so the caller
 * runs the layer instead.
 */
import { loadNativeAddon } from '../native/load';
import { productPlusBias } from '../registration/dense_matmul_kernels';
import { isFloat32Array } from '../typescript/request_checks';
import { freshFloat32 } from './fresh_arrays';

export interface DenseArraysInputs {
  /** [rows, inputDim] row-major. */
  x: Float32Array;
  /** [inputDim, units] row-major. */
  kernel: Float32Array;
  /** [units], or null for no bias. */
  bias: Float32Array | null;
  rows: number;
  inputDim: number;
  units: number;
}

/** Returns a new [rows, units] array. Throws when the lengths do not fit the sizes or the addon did not load. */
export function denseArrays({ x, kernel, bias, rows, inputDim, units }: DenseArraysInputs): Float32Array {
  for (const [name, n] of [['rows', rows], ['inputDim', inputDim], ['units', units]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`denseArrays: ${name} must be a positive integer, got ${n}.`);
  }
  const expected: [string, Float32Array | null, number][] = [['x', x, rows * inputDim], ['kernel', kernel, inputDim * units], ['bias', bias, units]];
  for (const [name, values, length] of expected) {
    if (values === null && name === 'bias') continue;
    if (!isFloat32Array(values) || values.length !== length) {
      throw new Error(`denseArrays: ${name} must be a Float32Array of ${length} values, got ${isFloat32Array(values) ? values.length : typeof values}.`);
    }
  }
  const load = loadNativeAddon();
  if (!load.ok) throw new Error(`denseArrays: needs the native addon, which did not load: ${load.error}`);
  // Written into a fresh array: one step's scores are small, and Node's allocation of the addon's
  // result buffer would cost more than the product of a small layer.
  return productPlusBias(load.addon, rows, units, inputDim, x, kernel, false, false, bias, freshFloat32(rows * units));
}
