import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../engine/types';
import type { Model } from './model';

/**
 * The outputs as new tensors the caller owns (Keras's predict returns new arrays). A graph output may be
 * a graph input (an Input straight to the output, a layer that hands its input back) or the same tensor
 * as another output; disposing it would then dispose the caller's input or the other output. A clone
 * shares the data, so this copies nothing.
 */
export function ownedOutputs(outputs: Tensor[]): Tensor[] {
  return outputs.map((t) => t.clone());
}

/**
 * Inference over `inputs` in slices of `batchSize` samples; each slice runs in its own tidy scope, so only
 * the per-slice outputs live until they are joined.
 */
export function predictInBatches(model: Model, inputs: Tensor[], batchSize: number): Tensor[] {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new Error(`${model.describe()}: predict: batchSize must be a positive integer, got ${batchSize}.`);
  }
  if (inputs.length === 0 || inputs.some((x) => !(x instanceof tf.Tensor) || x.rank === 0)) {
    throw new Error(`${model.describe()}: predict: expected tensors with a batch dimension.`);
  }
  const n = inputs[0].shape[0];
  if (inputs.some((x) => x.shape[0] !== n)) {
    throw new Error(`${model.describe()}: predict: all inputs must have the same number of samples, got ${inputs.map((x) => x.shape[0]).join(', ')}.`);
  }
  // Masks are computed too; the tidy scopes release them and keep only the outputs.
  if (n <= batchSize) return tf.tidy(() => ownedOutputs(model.callWithMasks(inputs, { training: false }).outputs));
  const pieces: Tensor[][] = model.outputs.map(() => []);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const outs = tf.tidy(() => {
      const slices = inputs.map((x) => x.slice(start, size));
      return model.callWithMasks(slices, { training: false }).outputs;
    });
    outs.forEach((t, i) => pieces[i].push(t));
  }
  return pieces.map((parts) => {
    const joined = tf.concat(parts, 0);
    parts.forEach((p) => p.dispose());
    return joined;
  });
}

