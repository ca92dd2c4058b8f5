/**
 * The 'EmbeddingLookup' kernel (rows of a [inputDim, outputDim] table, picked by integer ids) and its
 * gradient kernel 'EmbeddingLookupGrad' (the rows of dy added into a dense [inputDim, outputDim]
 * gradient), one pass over the ids each, on the implementation the op recorded (row_ops_spec.ts: the
 * addon's row copies, or TypeScript loops). tfjs's own route, gather and the gradient through
 * unsortedSegmentSum, costs on the cpu backend a pass over every (id, segment) pair.
 */
import * as tf from '@tensorflow/tfjs';
import { rowOpsFor, type ImplementationName } from '../backend/implementation_choice';
import { makeOutput, readFloats, readStored, type KernelBackendIO } from './backend_io';
import { requiredInput as input, type RowKernelArgs } from './row_kernel_io';

export const EMBEDDING_LOOKUP = 'EmbeddingLookup';
export const EMBEDDING_LOOKUP_GRAD = 'EmbeddingLookupGrad';

/** Attributes of both kernels (plain values, as tfjs NamedAttrMap requires). */
export interface EmbeddingLookupAttrs {
  /** Rows of the table (the gradient kernel has no table to read it from). */
  inputDim: number;
  /** Who looks up (e.g. "Embedding 'embedding'"), named in the error for a bad id. */
  context: string;
  /** The implementation chosen by the op, so forward and backward agree. Absent: the active one. */
  implementation?: ImplementationName;
}


/** The ids as an int32 or float32 array (float ids are truncated, as a cast to int32 would). */
function readIds(backend: KernelBackendIO, info: tf.TensorInfo): Int32Array | Float32Array {
  const values = readStored(backend, info);
  if (values instanceof Int32Array || values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) return Float32Array.from(values as unknown as ArrayLike<number>);
  throw new Error(`${EMBEDDING_LOOKUP}: the backend returned no numeric data for the indices (dtype ${info.dtype})`);
}

/**
 * Row numbers of all ids, checked against the table: an id outside [0, inputDim) is an error that
 * names the looker-up, inputDim and the id.
 */
function rowsOf(ids: Int32Array | Float32Array, inputDim: number, context: string, shape: number[]): Int32Array {
  const rows = ids instanceof Int32Array ? ids : truncated(ids);
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

/** Float ids truncated as a cast to int32 truncates them; -1 (out of range) for NaN, infinities and
 * values beyond int32 (which would otherwise wrap around into the table). */
function truncated(ids: Float32Array): Int32Array {
  const rows = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    rows[i] = v > -1 && v < 2147483648 ? Math.trunc(v) : -1;
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
  const out = rowOpsFor(attrs.implementation).gatherRows(readFloats(backend, table, 'table'), inputDim, outputDim, rows);
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
  const grad = rowOpsFor(attrs.implementation).scatterAddRows(dyValues, rows, attrs.inputDim, outputDim);
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
