import type * as tf from '@tensorflow/tfjs';

/** A tensor shape whose unknown dimensions (the batch, variable lengths) are `null`. */
export type Shape = (number | null)[];

/** The dtypes a layer or a weight may declare. */
export type LayerDType = 'float32' | 'int32';

/** The dtypes a model's tensors may have: a layer's, or strings (raw text into preprocessing layers). */
export type TensorDType = LayerDType | 'string';

export type Tensor = tf.Tensor;

/** True when `shape` is a list of shapes (several inputs) rather than one shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** Wraps a single shape in a list, leaves a list of shapes alone. */
export function toShapeList(shape: Shape | Shape[]): Shape[] {
  return isShapeList(shape) ? shape : [shape as Shape];
}

/** Formats a shape Keras-style: `(None, 10)`. */
export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d == null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Wraps one value in an array, or returns the array. */
export function toList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

/** Returns the single element of a one-element list, otherwise the list. */
export function singleOrList<T>(xs: T[]): T | T[] {
  return xs.length === 1 ? xs[0] : xs;
}

/** Product of the known dimensions; throws when one is unknown. */
export function shapeSize(shape: readonly (number | null)[], where: string): number {
  let size = 1;
  for (const d of shape) {
    if (d == null) throw new Error(`${where}: the shape ${formatShape([...shape])} has an unknown dimension where a fixed size is needed.`);
    size *= d;
  }
  return size;
}
