/**
 * embeddingLookup(): rows of an embedding table picked by integer ids, as one differentiable tfjs op
 * (kernel 'EmbeddingLookup'; the table's gradient through 'EmbeddingLookupGrad', a scatter-add of dy's
 * rows into a dense [inputDim, outputDim] tensor). Equal to tf.gather(table, ids) in value and gradient,
 * with every id checked against the table.
 */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { EMBEDDING_LOOKUP, type EmbeddingLookupAttrs } from '../registration/embedding_kernels';
import { registerRowKernels } from '../registration/register_row_kernels';

export interface EmbeddingLookupOptions {
  /** Named in the error for an id outside the table, e.g. "Embedding 'embedding_1'". Default 'embeddingLookup'. */
  context?: string;
}

/**
 * table [inputDim, outputDim] float32; ids of any shape, int32 (or float32, truncated as a cast would);
 * returns [...ids.shape, outputDim]. Throws, naming `context`, inputDim and the id, when an id is not in
 * [0, inputDim).
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor, opts: EmbeddingLookupOptions = {}): tf.Tensor {
  const context = opts.context ?? 'embeddingLookup';
  if (!(table instanceof tf.Tensor) || table.rank !== 2 || table.dtype !== 'float32') {
    throw new Error(`${context}: the table must be a float32 tf.Tensor of shape [inputDim, outputDim], got ${describe(table)}.`);
  }
  if (!(ids instanceof tf.Tensor) || (ids.dtype !== 'int32' && ids.dtype !== 'float32')) {
    throw new Error(`${context}: the indices must be an int32 (or float32) tf.Tensor, got ${describe(ids)}.`);
  }
  if (table.isDisposed || ids.isDisposed) throw new Error(`${context}: the ${table.isDisposed ? 'table' : 'indices'} tensor has been disposed.`);
  registerRowKernels();
  const attrs: EmbeddingLookupAttrs = { inputDim: table.shape[0], context, implementation: activeImplementation().name };
  return tf.engine().runKernel(EMBEDDING_LOOKUP, { table, indices: ids }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `shape [${value.shape.join(', ')}] (${value.dtype})`;
  return value === null ? 'null' : typeof value;
}
