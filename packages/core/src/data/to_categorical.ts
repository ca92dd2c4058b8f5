import * as tf from '@tensorflow/tfjs';

/**
 * Keras's `to_categorical`: class indices -> one-hot float32 rows. The output shape is the input
 * shape plus a last dimension of numClasses (default max + 1); a trailing dimension of size 1 in the
 * input is dropped first, as Keras does, so [n, 1] labels give [n, numClasses].
 */
export function toCategorical(y: tf.Tensor | number[] | number[][], numClasses?: number): tf.Tensor {
  const { values, shape } = flatten(y);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i]) || values[i] < 0) {
      throw new RangeError(`toCategorical: label ${values[i]} at position ${i} is not a non-negative integer class index`);
    }
  }
  const depth = numClasses ?? (values.length === 0 ? 0 : Math.max(...values) + 1);
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`toCategorical: numClasses must be a positive integer, got ${numClasses}`);
  }
  const tooLarge = values.findIndex((v) => v >= depth);
  if (tooLarge >= 0) {
    throw new RangeError(
      `toCategorical: label ${values[tooLarge]} at position ${tooLarge} is >= numClasses (${depth}); ` +
        `pass a larger numClasses or fix the label`,
    );
  }
  const outShape = shape.length > 1 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : shape;
  const out = new Float32Array(values.length * depth);
  values.forEach((v, i) => (out[i * depth + v] = 1));
  return tf.tensor(out, [...outShape, depth], 'float32');
}

function flatten(y: tf.Tensor | number[] | number[][]): { values: number[]; shape: number[] } {
  if (y instanceof tf.Tensor) return { values: Array.from(y.dataSync()), shape: y.shape };
  if (y.length > 0 && Array.isArray(y[0])) {
    const rows = y as number[][];
    const width = rows[0].length;
    rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== width) {
        throw new RangeError(`toCategorical: row ${i} has ${Array.isArray(row) ? row.length : 'no'} values, expected ${width}`);
      }
    });
    return { values: rows.flat(), shape: [rows.length, width] };
  }
  return { values: y as number[], shape: [y.length] };
}
