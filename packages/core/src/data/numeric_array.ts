import * as tf from '@tensorflow/tfjs';

/**
 * A dense row-major array with its shape: what the loaders produce. Plain typed arrays rather than
 * tensors, so that large datasets can be sliced into batches (and one-hot encoded per batch) without
 * holding everything as tensors.
 */
export interface NumericArray {
  dtype: 'int32' | 'float32';
  shape: number[];
  data: Int32Array | Float32Array;
}

export function numericArray(dtype: 'int32' | 'float32', shape: number[]): NumericArray {
  const size = shape.reduce((a, b) => a * b, 1);
  return { dtype, shape: [...shape], data: dtype === 'int32' ? new Int32Array(size) : new Float32Array(size) };
}

/** Number of values in one row (the product of every dimension but the first). */
export function rowSize(array: NumericArray): number {
  return array.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** The rows at `indices`, in that order (for shuffling, splitting and batching). */
export function takeRows(array: NumericArray, indices: ArrayLike<number>): NumericArray {
  const size = rowSize(array);
  const out = numericArray(array.dtype, [indices.length, ...array.shape.slice(1)]);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!Number.isInteger(row) || row < 0 || row >= array.shape[0]) {
      throw new RangeError(`takeRows: row index ${row} is outside [0, ${array.shape[0]})`);
    }
    copyRow(array.data, row * size, out.data, i * size, size);
  }
  return out;
}

/** Rows shorter than this are copied value by value: a subarray per row (a new typed array object) costs more. */
const SHORT_ROW = 64;

function copyRow(from: Int32Array | Float32Array, start: number, to: Int32Array | Float32Array, at: number, size: number): void {
  if (size >= SHORT_ROW) {
    to.set(from.subarray(start, start + size), at);
    return;
  }
  for (let k = 0; k < size; k++) to[at + k] = from[start + k];
}

/** Rows [start, end) as a view-free copy. */
export function sliceRows(array: NumericArray, start: number, end: number): NumericArray {
  const size = rowSize(array);
  const out = numericArray(array.dtype, [end - start, ...array.shape.slice(1)]);
  out.data.set(array.data.subarray(start * size, end * size));
  return out;
}

/**
 * Integer ids -> one-hot float32 with a new last dimension of size `depth`. With `zeroForPadding`, id 0
 * (padding) becomes an all-zero vector: no input, and no loss for a padded target step.
 */
export function oneHotArray(ids: NumericArray, depth: number, options: { zeroForPadding?: boolean } = {}): NumericArray {
  const out = numericArray('float32', [...ids.shape, depth]);
  for (let i = 0; i < ids.data.length; i++) {
    const id = ids.data[i];
    if (!Number.isInteger(id) || id < 0 || id >= depth) {
      throw new RangeError(`oneHotArray: id ${id} at position ${i} is outside [0, ${depth})`);
    }
    if (id > 0 || !options.zeroForPadding) out.data[i * depth + id] = 1;
  }
  return out;
}

export function toTensor(array: NumericArray): tf.Tensor {
  return tf.tensor(array.data, array.shape, array.dtype);
}

/** Estimated bytes of an array of this shape (4 bytes a value). */
export function byteSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1) * 4;
}
