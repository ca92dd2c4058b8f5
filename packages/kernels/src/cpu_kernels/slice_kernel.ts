/**
 * Slice for the 'cpu' backend on float32 and int32 tensors that are not contiguous slices: copies
 * the contiguous inner runs with subarray/set instead of tfjs's per-element buffer reads (which
 * spread index arrays per element). Parameters are normalised by tfjs's own slice_util, so `begin`
 * and `size` (with -1) mean what they mean for tf.slice, and invalid ones raise tfjs's errors.
 * Contiguous slices (tfjs returns a view, no copy), empty slices and other dtypes run the original.
 */
import * as tf from '@tensorflow/tfjs';
import { cpuBackendOf, numericValues, sizeOf, type KernelArgs, type KernelConfig, type TensorInfo } from './cpu_backend';

/** Below this run length a plain loop beats creating a subarray view. */
const SHORT_RUN = 16;

/**
 * Copies the block of `x` (shape `shape`, row-major) starting at `begin` with extent `size` into a
 * new array of the same type. `size` holds no -1 here and the block lies inside `shape`.
 */
export function copyBlock<T extends Float32Array | Int32Array>(x: T, shape: readonly number[], begin: readonly number[], size: readonly number[]): T {
  const rank = shape.length;
  const out = (x instanceof Float32Array ? new Float32Array(sizeOf(size)) : new Int32Array(sizeOf(size))) as T;
  if (out.length === 0) return out;
  if (rank === 0) {
    out[0] = x[0];
    return out;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // Inner dimensions taken whole join the run of the dimension outside them.
  let k = rank - 1;
  while (k > 0 && size[k] === shape[k]) k--;
  const run = size[k] * strides[k];
  let start = 0;
  for (let d = 0; d <= k; d++) start += begin[d] * strides[d];
  // Counters over dimensions 0..k-1, innermost last.
  const counters = new Array<number>(k).fill(0);
  for (let o = 0; o < out.length; o += run) {
    if (run < SHORT_RUN) for (let i = 0; i < run; i++) out[o + i] = x[start + i];
    else out.set(x.subarray(start, start + run), o);
    for (let d = k - 1; d >= 0; d--) {
      start += strides[d];
      if (++counters[d] < size[d]) break;
      start -= strides[d] * size[d];
      counters[d] = 0;
    }
  }
  return out;
}

export function sliceKernelConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { x } = args.inputs as { x?: TensorInfo };
      if (!x) return original.kernelFunc(args);
      const backend = cpuBackendOf(args);
      const values = numericValues(backend, x);
      if (values === null) return original.kernelFunc(args);
      const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
      const [$begin, $size] = tf.slice_util.parseSliceParams(x, begin, size);
      tf.slice_util.assertParamsValid(x, $begin, $size);
      if (sizeOf($size) === 0 || tf.slice_util.isSliceContinous(x.shape, $begin, $size)) return original.kernelFunc(args);
      return backend.makeTensorInfo($size, x.dtype, copyBlock(values, x.shape, $begin, $size));
    },
  };
}
