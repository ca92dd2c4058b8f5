/**
 * Vocabulary indices -> the dense outputs of the lookup layers (Keras's encode_categorical_inputs):
 * one vector of `depth` entries per element (one_hot) or per sample (multi_hot, count, tf_idf).
 * Negative indices (a dropped mask token, padding) count nowhere.
 */
import * as tf from '@tensorflow/tfjs';

export type OutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';

/** Output modes' Keras 2 spellings, read as Keras does. */
export function canonicalOutputMode(mode: string): OutputMode {
  if (mode === 'binary') return 'multi_hot';
  if (mode === 'tf-idf') return 'tf_idf';
  return mode as OutputMode;
}

/**
 * The output shape for indices of `shape`: one_hot replaces a last axis of size 1 by `depth` (else adds
 * an axis); the other modes treat the last axis as the sample's elements (a rank-1 input: one per sample).
 */
export function encodedShape<D extends number | null>(shape: D[], mode: Exclude<OutputMode, 'int'>, depth: D | null): (D | null)[] {
  if (mode === 'one_hot') return shape.length > 1 && shape[shape.length - 1] === 1 ? [...shape.slice(0, -1), depth] : [...shape, depth];
  return shape.length === 1 ? [shape[0], depth] : [...shape.slice(0, -1), depth];
}

export function encodeIndices(indices: Int32Array, shape: number[], mode: Exclude<OutputMode, 'int'>, depth: number, idf: Float32Array | null): tf.Tensor {
  const outShape = encodedShape(shape, mode, depth) as number[];
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  if (mode === 'one_hot') {
    indices.forEach((index, i) => {
      if (index >= 0 && index < depth) out[i * depth + index] = 1;
    });
  } else {
    const perSample = shape.length === 1 ? 1 : shape[shape.length - 1];
    indices.forEach((index, i) => {
      if (index < 0 || index >= depth) return;
      const at = Math.floor(i / perSample) * depth + index;
      out[at] = mode === 'multi_hot' ? 1 : out[at] + 1;
    });
    if (mode === 'tf_idf' && idf !== null) out.forEach((count, i) => (out[i] = count * idf[i % depth]));
  }
  return tf.tensor(out, outShape, 'float32');
}
