/**
 * Sum for the 'cpu' backend on float32 tensors, reducing any axes without tfjs's transpose. tfjs's
 * kernel moves the reduced axes innermost (a transpose, element by element, whenever they are not
 * already: the bias gradient of Dense reduces the batch axis) and then adds each output's elements in
 * float64, in the row-major order of the reduced axes, rounding once to float32. Walking the input in
 * its own row-major order visits each output's elements in exactly that order, so float64
 * accumulators per output give tfjs's result bit for bit. Other dtypes and axis values tfjs would
 * refuse run the original kernel.
 */
import { cpuBackendOf, float32Values, type KernelArgs, type KernelConfig } from './cpu_backend';

/**
 * The axes `axis` names, normalised (negatives from the end), or null when tfjs should judge them (or
 * when they are not in increasing order: tfjs then reduces them in the order given, not row-major).
 */
function reducedAxes(axis: unknown, rank: number): number[] | null {
  const list = axis === undefined || axis === null ? Array.from({ length: rank }, (_, i) => i) : Array.isArray(axis) ? axis : [axis];
  const axes: number[] = [];
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -rank || a >= rank) return null;
    const d = a < 0 ? a + rank : a;
    if (axes.length > 0 && d <= axes[axes.length - 1]) return null;
    axes.push(d);
  }
  return axes;
}

/** Sums of x (shape `shape`) over `axes` into float64 accumulators, in tfjs's order, rounded to float32. */
export function sumOverAxes(x: Float32Array, shape: readonly number[], axes: readonly number[]): Float32Array {
  const rank = shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) reduced[a] = true;
  // The output's stride of each input dimension (0 for reduced ones).
  const outStride = new Array<number>(rank).fill(0);
  let outSize = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (reduced[d]) continue;
    outStride[d] = outSize;
    outSize *= shape[d];
  }
  const acc = new Float64Array(outSize);
  if (x.length > 0) {
    // The innermost dimension runs as a plain loop; an odometer walks the others.
    const inner = rank === 0 ? 1 : shape[rank - 1];
    const innerStride = rank === 0 ? 0 : outStride[rank - 1];
    const counters = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    let o = 0;
    for (let i = 0; i < x.length; i += inner) {
      if (innerStride === 0) {
        let s = acc[o];
        for (let j = 0; j < inner; j++) s += x[i + j];
        acc[o] = s;
      } else {
        for (let j = 0; j < inner; j++) acc[o + j] += x[i + j];
      }
      for (let d = rank - 2; d >= 0; d--) {
        o += outStride[d];
        if (++counters[d] < shape[d]) break;
        o -= outStride[d] * shape[d];
        counters[d] = 0;
      }
    }
  }
  return Float32Array.from(acc);
}

export function sumKernelConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const backend = cpuBackendOf(args);
      const { x } = args.inputs as { x: { dataId: object; shape: number[]; dtype: 'float32' } };
      const { axis, keepDims } = args.attrs as { axis?: number | number[]; keepDims?: boolean };
      const values = float32Values(backend, x);
      const axes = values === null ? null : reducedAxes(axis, x.shape.length);
      if (values === null || axes === null) return original.kernelFunc(args);
      const outShape = keepDims ? x.shape.map((n, d) => (axes.includes(d) ? 1 : n)) : x.shape.filter((_, d) => !axes.includes(d));
      return backend.makeTensorInfo(outShape, 'float32', sumOverAxes(values, x.shape, axes));
    },
  };
}
