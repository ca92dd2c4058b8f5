/**
 * Linear-time replacements for three kernels of tfjs 4.22's 'cpu' backend that dominate training
 * time in the examples (measured on this machine):
 *
 * - UnsortedSegmentSum, the gradient of an Embedding lookup (tf.gather): the stock kernel loops over
 *   every segment with whole-tensor ops, O(vocabulary x tokens): 33 s for one batch of 1,280 tokens
 *   over 2,000 words. This one adds each row into its segment once.
 * - Reverse, which Bidirectional(returnSequences) applies to the backward layer's outputs (and its
 *   gradient applies again): the stock kernel maps every element through index arithmetic on a
 *   TensorBuffer, 95 ms for a [64, 16, 64] tensor. This one copies contiguous blocks.
 * - Slice and SplitV: the gradient of a concatenation (Bidirectional's 'concat' merge, Concatenate)
 *   splits along the last axis, and the stock kernel goes element by element unless a piece is one
 *   contiguous block: 59 ms for half of a [64, 16, 128] tensor, 104 ms for the split. These copy one
 *   row of the last axis at a time.
 *
 * Importing this module registers them (once); the examples that train an Embedding, a Bidirectional
 * or a Concatenate layer import it. Results are identical; only the time changes.
 */
import * as tf from '@tensorflow/tfjs';

type KernelConfig = NonNullable<ReturnType<typeof tf.getKernel>>;
type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];
type Values = Float32Array | Int32Array | Uint8Array;

interface CpuBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Values): tf.TensorInfo;
}

const BACKEND = 'cpu';
let registered = false;

function emptyLike(values: Values, size: number): Values {
  if (values instanceof Int32Array) return new Int32Array(size);
  if (values instanceof Uint8Array) return new Uint8Array(size);
  return new Float32Array(size);
}

function segmentSum(args: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  const backend = args.backend as unknown as CpuBackend;
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  // x is [...segmentIds.shape, ...inner]: each id owns one block of `inner` values.
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue; // TensorFlow drops out-of-range ids
    const from = i * inner;
    const to = id * inner;
    for (let k = 0; k < inner; k++) out[to + k] += values[from + k];
  }
  return backend.makeTensorInfo([numSegments, ...innerShape], x.dtype, out);
}

function reverse(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dims } = args.attrs as unknown as { dims?: number | number[] | null };
  const backend = args.backend as unknown as CpuBackend;
  const values = backend.readSync(x.dataId) as Values;
  const rank = x.shape.length;
  // No axis given means every axis, as tfjs's own kernel reads it.
  const given = dims === undefined || dims === null ? x.shape.map((_, i) => i) : Array.isArray(dims) ? dims : [dims];
  const axes = new Set(given.map((d) => (d < 0 ? d + rank : d)));
  const out = emptyLike(values, values.length);
  if (values.length === 0) return backend.makeTensorInfo([...x.shape], x.dtype, out);
  // The innermost run of axes that are not reversed is copied as one block.
  let block = 1;
  let d = rank - 1;
  for (; d >= 0 && !axes.has(d); d--) block *= x.shape[d];
  const outerShape = x.shape.slice(0, d + 1);
  const strides = outerShape.map((_, i) => outerShape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outerCount = outerShape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < outerCount; i++) {
    let source = 0;
    let rest = i;
    for (let a = 0; a < outerShape.length; a++) {
      const coordinate = Math.floor(rest / strides[a]);
      rest -= coordinate * strides[a];
      source += (axes.has(a) ? outerShape[a] - 1 - coordinate : coordinate) * strides[a];
    }
    out.set(values.subarray(source * block, (source + 1) * block), i * block);
  }
  return backend.makeTensorInfo([...x.shape], x.dtype, out);
}

/** tfjs's reading of slice arguments: a number or a short list is padded; size -1 means "to the end". */
function sliceParams(shape: number[], begin: number | number[], size: number | number[] | null | undefined): { begin: number[]; size: number[] } {
  const rank = shape.length;
  const b = typeof begin === 'number' ? [begin, ...new Array(rank - 1).fill(0)] : [...begin, ...new Array(Math.max(0, rank - begin.length)).fill(0)];
  const s0 = size === null || size === undefined ? new Array(rank).fill(-1) : typeof size === 'number' ? [size, ...new Array(rank - 1).fill(-1)] : [...size, ...new Array(Math.max(0, rank - size.length)).fill(-1)];
  return { begin: b, size: s0.map((d, i) => (d === -1 ? shape[i] - b[i] : d)) };
}

/** Copies x[begin : begin + size] one row of the last axis at a time (arguments already checked). */
function sliceValues(backend: CpuBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const shape = x.shape;
  const rank = shape.length;
  const values = backend.readSync(x.dataId) as Values;
  const count = size.reduce((a, b) => a * b, 1);
  const out = emptyLike(values, count);
  if (count === 0) return backend.makeTensorInfo(size, x.dtype, out);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const row = size[rank - 1];
  const rows = count / row;
  const outer = size.slice(0, rank - 1);
  for (let r = 0; r < rows; r++) {
    let source = begin[rank - 1];
    let rest = r;
    for (let a = outer.length - 1; a >= 0; a--) {
      const coordinate = rest % outer[a];
      rest = (rest - coordinate) / outer[a];
      source += (begin[a] + coordinate) * strides[a];
    }
    out.set(values.subarray(source, source + row), r * row);
  }
  return backend.makeTensorInfo(size, x.dtype, out);
}

function withinBounds(x: tf.TensorInfo, begin: number[], size: number[]): boolean {
  const rank = x.shape.length;
  return (
    rank > 0 && x.dtype !== 'string' && begin.length === rank && size.length === rank &&
    begin.every((b, i) => Number.isInteger(b) && b >= 0 && Number.isInteger(size[i]) && size[i] >= 0 && b + size[i] <= x.shape[i])
  );
}

function sliceKernel(original: KernelConfig) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as unknown as { begin: number | number[]; size?: number | number[] | null };
    const { begin, size } = sliceParams(x.shape, attrs.begin, attrs.size);
    // Anything unusual (strings, bad arguments: the original reports them) goes to tfjs's kernel.
    if (!withinBounds(x, begin, size)) return original.kernelFunc(args) as tf.TensorInfo;
    return sliceValues(args.backend as unknown as CpuBackend, x, begin, size);
  };
}

/** SplitV (tf.split, and the gradient of a concatenation): consecutive slices along one axis. */
function splitKernel(original: KernelConfig) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const rank = x.shape.length;
    const rawAxis = Array.isArray(attrs.axis) ? attrs.axis[0] : attrs.axis;
    const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
    const length = x.shape[axis];
    let sizes: number[] | null = null;
    if (typeof attrs.numOrSizeSplits === 'number') {
      const n = attrs.numOrSizeSplits;
      if (Number.isInteger(n) && n > 0 && length % n === 0) sizes = new Array(n).fill(length / n);
    } else {
      const given = attrs.numOrSizeSplits;
      const known = given.filter((v) => v !== -1).reduce((a, b) => a + b, 0);
      const filled = given.map((v) => (v === -1 ? length - known : v));
      if (given.filter((v) => v === -1).length <= 1 && filled.reduce((a, b) => a + b, 0) === length) sizes = filled;
    }
    if (sizes === null || !(axis >= 0 && axis < rank)) return original.kernelFunc(args) as tf.TensorInfo[];
    const backend = args.backend as unknown as CpuBackend;
    const begin = new Array(rank).fill(0);
    return sizes.map((part) => {
      const size = [...x.shape];
      size[axis] = part;
      const piece = sliceValues(backend, x, [...begin], size);
      begin[axis] += part;
      return piece;
    });
  };
}

function replace(kernelName: string, make: (original: KernelConfig) => (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  const original = tf.getKernel(kernelName, BACKEND);
  if (original === undefined) return; // no cpu backend registered: nothing to speed up
  tf.unregisterKernel(kernelName, BACKEND);
  tf.registerKernel({ ...original, kernelFunc: make(original) as KernelConfig['kernelFunc'] });
}

/** Replaces the 'cpu' UnsortedSegmentSum, Reverse, Slice and SplitV kernels (idempotent). */
export function registerCpuKernelWorkarounds(): void {
  if (registered) return;
  replace('UnsortedSegmentSum', () => segmentSum);
  replace('Reverse', () => reverse);
  replace('Slice', sliceKernel);
  replace('SplitV', splitKernel);
  registered = true;
}

registerCpuKernelWorkarounds();
