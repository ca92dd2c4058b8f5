/** Input access shared by the row kernels (embedding lookup, softmax, step masking). */
import type * as tf from '@tensorflow/tfjs';

export type RowKernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** The named input of a kernel call; an error naming the kernel when it is missing. */
export function requiredInput(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`${kernel} kernel: input ${name} is required`);
  return info;
}

/** Number of rows and the row length of a tensor seen as [..., last]. */
export function rowsAndWidth(shape: number[]): { rows: number; width: number } {
  const width = shape.length === 0 ? 1 : shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  return { rows: width === 0 ? 0 : size / width, width };
}
