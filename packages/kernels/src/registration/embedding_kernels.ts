/**
 * The 'EmbeddingLookup' kernel (rows of a [inputDim, outputDim] table, picked by integer ids) and its
 * gradient kernel 'EmbeddingLookupGrad' (the rows of dy added into a dense [inputDim, outputDim]
 * gradient), as plain loops over the backend's arrays. tfjs's own route, gather and the gradient
 * through unsortedSegmentSum, costs on the cpu backend a pass over every (id, segment) pair; these
 * are one pass over the ids.
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { requiredInput as input, type RowKernelArgs } from './row_kernel_io';

export const EMBEDDING_LOOKUP = 'EmbeddingLookup';
export const EMBEDDING_LOOKUP_GRAD = 'EmbeddingLookupGrad';

/** Attributes of both kernels (plain values, as tfjs NamedAttrMap requires). */
export interface EmbeddingLookupAttrs {
  /** Rows of the table (the gradient kernel has no table to read it from). */
  inputDim: number;
  /** Who looks up (e.g. "Embedding 'embedding'"), named in the error for a bad id. */
  context: string;
}


/** The ids as an int32 or float32 array (float ids are truncated, as a cast to int32 would). */
function readIds(backend: KernelBackendIO, info: tf.TensorInfo): Int32Array | Float32Array {
  const values = backend.readSync(info.dataId);
  if (values instanceof Int32Array || values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) return Float32Array.from(values as unknown as ArrayLike<number>);
  throw new Error(`${EMBEDDING_LOOKUP}: the backend returned no numeric data for the indices (dtype ${info.dtype})`);
}

/**
 * Row numbers of all ids, checked against the table: an id outside [0, inputDim) is an error that
 * names the looker-up, inputDim and the id.
 */
function rowsOf(ids: Int32Array | Float32Array, inputDim: number, context: string, shape: number[]): Int32Array {
  const rows = ids instanceof Int32Array ? ids : Int32Array.from(ids, (v) => (Number.isFinite(v) ? Math.trunc(v) : -1));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row < 0 || row >= inputDim) {
      const given = ids[i];
      throw new Error(
        `${context}: index ${given} (at ${positionText(i, shape)}) is out of range: indices must lie in [0, ${inputDim - 1}] ` +
          `(inputDim ${inputDim}); raise inputDim or clip the indices.`,
      );
    }
  }
  return rows;
}

/** "[b, t]" for flat position i of a tensor of the given shape. */
function positionText(i: number, shape: number[]): string {
  const position: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    position.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return `position [${position.join(', ')}]`;
}

/** inputs { table [inputDim, outputDim] float32, indices [...] int32 or float32 } -> [..., outputDim]. */
export function embeddingLookupKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as EmbeddingLookupAttrs;
  const table = input(args.inputs, 'table', EMBEDDING_LOOKUP);
  const indices = input(args.inputs, 'indices', EMBEDDING_LOOKUP);
  const [inputDim, outputDim] = table.shape;
  const rows = rowsOf(readIds(backend, indices), inputDim, attrs.context, indices.shape);
  const values = readFloats(backend, table, 'table');
  const out = new Float32Array(rows.length * outputDim);
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i] * outputDim;
    const to = i * outputDim;
    for (let d = 0; d < outputDim; d++) out[to + d] = values[from + d];
  }
  return makeOutput(backend, [...indices.shape, outputDim], out);
}

/** inputs { dy [..., outputDim] float32, indices [...] } -> the table's gradient [inputDim, outputDim]. */
export function embeddingLookupGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as EmbeddingLookupAttrs;
  const dy = input(args.inputs, 'dy', EMBEDDING_LOOKUP_GRAD);
  const indices = input(args.inputs, 'indices', EMBEDDING_LOOKUP_GRAD);
  const outputDim = dy.shape[dy.shape.length - 1];
  const rows = rowsOf(readIds(backend, indices), attrs.inputDim, attrs.context, indices.shape);
  const dyValues = readFloats(backend, dy, 'dy');
  if (dyValues.length !== rows.length * outputDim) {
    throw new Error(`${EMBEDDING_LOOKUP_GRAD}: dy has shape [${dy.shape.join(', ')}], expected [${[...indices.shape, outputDim].join(', ')}]`);
  }
  const grad = new Float32Array(attrs.inputDim * outputDim);
  for (let i = 0; i < rows.length; i++) {
    const to = rows[i] * outputDim;
    const from = i * outputDim;
    for (let d = 0; d < outputDim; d++) grad[to + d] += dyValues[from + d];
  }
  return makeOutput(backend, [attrs.inputDim, outputDim], grad);
}

/** The table's gradient through 'EmbeddingLookupGrad'; the ids, being integers, get none (zeros, as for tf.gather). */
export const embeddingLookupGradConfig: tf.GradConfig = {
  kernelName: EMBEDDING_LOOKUP,
  inputsToSave: ['indices'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [indices] = saved;
    return {
      table: () => tf.engine().runKernel(EMBEDDING_LOOKUP_GRAD, { dy: dy as tf.Tensor, indices }, attrs) as tf.Tensor,
      indices: () => tf.zerosLike(indices),
    };
  },
};
