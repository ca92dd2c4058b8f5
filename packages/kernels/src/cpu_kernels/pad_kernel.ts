/**
 * PadV2 (constant padding, the gradient of Slice) for the 'cpu' backend on float32 and int32: fills
 * the result with the constant and copies the input in contiguous runs, where tfjs converts every
 * element's index to coordinates and back. Rank 0, negative or fractional paddings and other
 * dtypes run the original kernel.
 */
import { cpuBackendOf, numericValues, sizeOf, type KernelArgs, type KernelConfig, type TensorInfo } from './cpu_backend';

const SHORT_RUN = 16;

function validPaddings(paddings: unknown, rank: number): paddings is Array<[number, number]> {
  if (!Array.isArray(paddings) || paddings.length !== rank) return false;
  return paddings.every((p) => Array.isArray(p) && p.length === 2 && Number.isInteger(p[0]) && Number.isInteger(p[1]) && p[0] >= 0 && p[1] >= 0);
}

/** Pads `x` (shape `shape`) with `constant`; `paddings[d]` is [before, after] for dimension d (rank >= 1). */
export function padConstant<T extends Float32Array | Int32Array>(x: T, shape: readonly number[], paddings: ReadonlyArray<readonly [number, number]>, constant: number): { shape: number[]; values: T } {
  const rank = shape.length;
  const outShape = shape.map((n, d) => paddings[d][0] + n + paddings[d][1]);
  const out = (x instanceof Float32Array ? new Float32Array(sizeOf(outShape)) : new Int32Array(sizeOf(outShape))) as T;
  if (constant !== 0) out.fill(constant); // as tfjs: the typed array rounds (or truncates) the constant
  if (x.length === 0) return { shape: outShape, values: out };
  const outStrides = new Array<number>(rank);
  outStrides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) outStrides[d] = outStrides[d + 1] * outShape[d + 1];
  // Inner dimensions without padding join the run of the dimension outside them.
  let k = rank - 1;
  while (k > 0 && paddings[k][0] === 0 && paddings[k][1] === 0) k--;
  const run = shape[k] * outStrides[k];
  let dest = 0;
  for (let d = 0; d <= k; d++) dest += paddings[d][0] * outStrides[d];
  const counters = new Array<number>(k).fill(0);
  for (let i = 0; i < x.length; i += run) {
    if (run < SHORT_RUN) for (let j = 0; j < run; j++) out[dest + j] = x[i + j];
    else out.set(x.subarray(i, i + run), dest);
    for (let d = k - 1; d >= 0; d--) {
      dest += outStrides[d];
      if (++counters[d] < shape[d]) break;
      dest -= outStrides[d] * shape[d];
      counters[d] = 0;
    }
  }
  return { shape: outShape, values: out };
}

export function padKernelConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { x } = args.inputs as { x?: TensorInfo };
      const { paddings, constantValue } = args.attrs as { paddings?: unknown; constantValue?: unknown };
      if (!x || x.shape.length === 0 || !validPaddings(paddings, x.shape.length) || typeof constantValue !== 'number') return original.kernelFunc(args);
      const backend = cpuBackendOf(args);
      const values = numericValues(backend, x);
      if (values === null) return original.kernelFunc(args);
      const result = padConstant(values, x.shape, paddings, constantValue);
      return backend.makeTensorInfo(result.shape, x.dtype, result.values);
    },
  };
}
