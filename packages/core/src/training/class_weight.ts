/**
 * classWeight ({class: weight}) becomes a sample weight read off the labels, as Keras does
 * (data_adapter_utils.class_weight_to_sample_weights): the class of a one-hot target is its argmax,
 * a sparse or binary target is its rounded value, and classes missing from the dict weigh 1. For
 * sequence targets the weight is per timestep.
 */
import * as tf from '@tensorflow/tfjs';

export type ClassWeight = Record<number | string, number>;

/** Validates the dict and returns [class id, weight] pairs. */
export function parseClassWeight(classWeight: ClassWeight, where: string): [number, number][] {
  if (classWeight === null || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    throw new Error(`${where}: classWeight must be an object mapping class ids to weights, e.g. {0: 1, 1: 5}.`);
  }
  return Object.entries(classWeight).map(([key, weight]) => {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0) throw new Error(`${where}: classWeight key '${key}' is not a class id (a non-negative integer).`);
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new Error(`${where}: classWeight[${key}] must be a finite number, got ${String(weight)}.`);
    return [id, weight];
  });
}

/** Per-sample ([B]) or per-timestep ([B, T]) weights for the labels `yTrue` of predictions `yPred`. */
export function classWeightToSampleWeight(yTrue: tf.Tensor, yPred: tf.Tensor, pairs: readonly [number, number][]): tf.Tensor {
  return tf.tidy(() => {
    const last = yTrue.rank - 1;
    let classes: tf.Tensor;
    if (yTrue.rank === yPred.rank && yTrue.shape[last] > 1) {
      classes = tf.argMax(yTrue, -1);
    } else {
      const labels = yTrue.rank === yPred.rank ? yTrue.squeeze([last]) : yTrue;
      classes = labels.cast('float32').round();
    }
    const numClasses = Math.max(2, yPred.shape[yPred.rank - 1], ...pairs.map(([id]) => id + 1));
    const table = new Float32Array(numClasses).fill(1);
    for (const [id, weight] of pairs) table[id] = weight;
    const ids = tf.clipByValue(classes.cast('float32'), 0, numClasses - 1).cast('int32');
    return tf.gather(tf.tensor1d(table), ids);
  });
}
