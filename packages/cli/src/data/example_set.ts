import * as tf from '@tensorflow/tfjs';
import { IndexedData, NumericArray, oneHotArray, takeRows, toTensor } from '@recurrent/core';

/**
 * One model input or target column of a dataset, kept compact: token ids stay ids and are expanded
 * to one-hot vectors only per batch (`oneHot`), which keeps a corpus of a million windows small.
 */
export interface Feature {
  array: NumericArray;
  /** When set, ids are one-hot encoded per batch to `depth`; with `zeroForPadding`, id 0 (padding)
   * becomes an all-zero vector (no input, and no loss for padded target steps). */
  oneHot?: { depth: number; zeroForPadding: boolean };
  /** Converts integer labels to float32 (binary targets). */
  asFloat?: boolean;
  /** Raw strings (a model input of dtype 'string'): `array` then holds each row's index into `texts`. */
  texts?: readonly string[];
}

/** Raw strings as a feature of shape [n, 1], for a model that starts with TextVectorization. */
export function textFeature(texts: readonly string[]): Feature {
  return { array: { dtype: 'int32', shape: [texts.length, 1], data: Int32Array.from(texts, (_, i) => i) }, texts };
}

/** Examples as model inputs and targets, in the order of the model's inputs and outputs. */
export interface ExampleSet {
  inputs: Feature[];
  targets: Feature[];
  size: number;
}

export function exampleSet(inputs: Feature[], targets: Feature[]): ExampleSet {
  const size = inputs[0].array.shape[0];
  for (const f of [...inputs, ...targets]) {
    if (f.array.shape[0] !== size) throw new Error(`example set: arrays disagree on the number of examples (${f.array.shape[0]} vs ${size})`);
  }
  return { inputs, targets, size };
}

/** The examples at `indices` (a split). */
export function selectExamples(set: ExampleSet, indices: ArrayLike<number>): ExampleSet {
  const pick = (f: Feature): Feature => ({ ...f, array: takeRows(f.array, indices) });
  return { inputs: set.inputs.map(pick), targets: set.targets.map(pick), size: indices.length };
}

/** A tensor of the feature's rows at `indices` (all rows when omitted), one-hot expanded when asked. */
export function featureTensor(feature: Feature, indices?: ArrayLike<number>): tf.Tensor {
  const array = indices === undefined ? feature.array : takeRows(feature.array, indices);
  const texts = feature.texts;
  if (texts !== undefined) return tf.tensor(Array.from(array.data, (i) => texts[i]), array.shape, 'string');
  if (feature.oneHot !== undefined) return oneHotTensor(array, feature.oneHot.depth, feature.oneHot.zeroForPadding);
  if (feature.asFloat) return tf.tensor(Float32Array.from(array.data), array.shape, 'float32');
  return tf.tensor(array.data, array.shape, array.dtype);
}

/** One-hot float32 tensor of integer ids (optionally with id 0 as an all-zero vector). */
export function oneHotTensor(ids: NumericArray, depth: number, zeroForPadding: boolean): tf.Tensor {
  return toTensor(oneHotArray(ids, depth, { zeroForPadding }));
}

/** Input and target tensors of one batch; the caller disposes them. */
export function batchTensors(set: ExampleSet, indices: ArrayLike<number>): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
  return { xs: set.inputs.map((f) => featureTensor(f, indices)), ys: set.targets.map((f) => featureTensor(f, indices)) };
}

/**
 * The first `count` examples (default all) as fit's and evaluate's IndexedData: each batch's tensors are
 * made (one-hot expanded) only when the batch is taken, and the engine disposes them after its step.
 */
export function indexedExamples(set: ExampleSet, count = set.size): IndexedData {
  return { numSamples: count, takeSamples: (indices) => batchTensors(set, indices) };
}
