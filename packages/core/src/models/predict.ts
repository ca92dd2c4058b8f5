import * as tf from '@tensorflow/tfjs';
import { TensorClass, tfEngine, VariableClass } from '../engine/tf_direct';
import type { Tensor } from '../engine/types';
import type { Model } from './model';

/**
 * The outputs as tensors the caller owns (Keras's predict returns new arrays), called inside the tidy
 * scope of the forward pass that computed them. An output that pass created, that nothing keeps (not
 * kept, not a variable) and that no earlier output repeats goes to the caller as it is: the scope would
 * free it otherwise, so nothing else holds it. Any other (a graph input handed through, a tensor a layer
 * keeps, the same tensor as another output) is cloned, so that disposing it never frees the caller's
 * input, the layer's tensor or the other output. A clone shares the data, so this copies nothing.
 */
export function ownedOutputs(outputs: Tensor[]): Tensor[] {
  const scope = tfEngine().state.activeScope;
  const owned = new Array<Tensor>(outputs.length);
  for (let i = 0; i < outputs.length; i++) {
    const t = outputs[i];
    const fresh = scope !== null && t.scopeId === scope.id && !t.kept && !(t instanceof VariableClass) && outputs.indexOf(t) === i;
    owned[i] = fresh ? t : t.clone();
  }
  return owned;
}

/**
 * Inference over `inputs` in slices of `batchSize` samples; each slice runs in its own tidy scope, so only
 * the per-slice outputs live until they are joined.
 */
export function predictInBatches(model: Model, inputs: Tensor[], batchSize: number): Tensor[] {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new Error(`${model.describe()}: predict: batchSize must be a positive integer, got ${batchSize}.`);
  }
  if (inputs.length === 0) throw new Error(`${model.describe()}: predict: expected tensors with a batch dimension.`);
  for (const x of inputs) {
    if (!(x instanceof TensorClass) || x.rank === 0) throw new Error(`${model.describe()}: predict: expected tensors with a batch dimension.`);
  }
  const n = inputs[0].shape[0];
  for (const x of inputs) {
    if (x.shape[0] !== n) {
      throw new Error(`${model.describe()}: predict: all inputs must have the same number of samples, got ${inputs.map((t) => t.shape[0]).join(', ')}.`);
    }
  }
  // Masks are computed too; the forward pass's tidy scope releases them and keeps only the outputs.
  if (n <= batchSize) return model.predictOutputs(inputs);
  const pieces: Tensor[][] = model.outputs.map(() => []);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const outs = tf.tidy(() => model.predictOutputs(inputs.map((x) => x.slice(start, size))));
    outs.forEach((t, i) => pieces[i].push(t));
  }
  return pieces.map((parts) => {
    const joined = tf.concat(parts, 0);
    parts.forEach((p) => p.dispose());
    return joined;
  });
}
