/**
 * Turning per-element loss values into one number, as Keras 3 does (keras/src/losses/loss.py):
 * the output mask and the sample weights are merged into one weight tensor, values are multiplied by
 * it, and "sum_over_batch_size" divides the weighted sum by the number of loss values. A mask is
 * rescaled by total/valid first, so the result is sum(loss * weight over valid steps) / valid: a padded
 * batch gives the same loss as the unpadded one.
 */
import * as tf from '@tensorflow/tfjs';

export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';
export const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'none'];

export function checkReduction(reduction: string, where: string): Reduction {
  if (!(REDUCTIONS as readonly string[]).includes(reduction)) {
    throw new Error(`${where}: unknown reduction '${reduction}'; use one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}.`);
  }
  return reduction as Reduction;
}

/**
 * Targets shaped like the predictions when they differ only by a trailing axis of 1: [B] or [B, T]
 * targets against [B, 1] or [B, T, 1] outputs gain that axis (rather than the outputs losing it, which
 * would average a sequence's steps together before the mask could weigh them); [.., 1] targets
 * against squeezed outputs lose it. For [B] against [B, 1] this is Keras's squeeze_or_expand_to_same_rank.
 */
export function alignTargets(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) return yTrue.expandDims(-1);
  if (yTrue.rank === yPred.rank + 1 && yTrue.shape[yTrue.rank - 1] === 1) return yTrue.squeeze([yTrue.rank - 1]);
  return yTrue;
}

/**
 * When the ranks of `a` and `b` differ by exactly one and the longer one ends in a dimension of 1,
 * squeezes that dimension (or expands a rank-1 partner), like Keras's squeeze_or_expand_to_same_rank.
 */
export function squeezeOrExpandToSameRank(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank) return [a, b];
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    return b.rank === 1 ? [a, b.expandDims(-1)] : [a.squeeze([a.rank - 1]), b];
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    return a.rank === 1 ? [a.expandDims(-1), b] : [a, b.squeeze([b.rank - 1])];
  }
  return [a, b];
}

/**
 * Makes a per-sample ([B]) or per-step ([B, T]) weight broadcastable against the loss values: trailing
 * unit dimensions are dropped ([B, 1] against [B]) and missing ones appended ([B] against [B, T] becomes
 * [B, 1]), which is what Keras's squeeze_or_expand_to_same_rank achieves for these shapes.
 */
export function alignWeightRank(weight: tf.Tensor, values: tf.Tensor, where: string, what: 'sample weights' | 'the mask' = 'sample weights'): tf.Tensor {
  let w = weight;
  while (w.rank > values.rank && w.shape[w.rank - 1] === 1) w = w.squeeze([w.rank - 1]);
  const hint =
    what === 'the mask'
      ? 'the output carries a per-timestep mask but its loss values are per sample; a layer should drop the mask when it drops the time axis.'
      : 'pass one weight per sample ([batch]) or per timestep ([batch, time]).';
  if (w.rank > values.rank) {
    throw new Error(`${where}: ${what} of shape [${weight.shape}] has more dimensions than the loss values [${values.shape}]; ${hint}`);
  }
  while (w.rank < values.rank) w = w.expandDims(-1);
  for (let i = 0; i < w.rank; i++) {
    if (w.shape[i] !== 1 && w.shape[i] !== values.shape[i]) {
      throw new Error(`${where}: ${what} of shape [${weight.shape}] does not match loss values of shape [${values.shape}]; ${hint}`);
    }
  }
  return w;
}

/**
 * Merges a mask into the sample weights. For the mean-style reduction the mask is rescaled by
 * total/valid (0 where masked), so the reduction divides by the number of valid entries.
 */
export function applyMask(
  sampleWeight: tf.Tensor | null,
  mask: tf.Tensor | null,
  values: tf.Tensor,
  reduction: Reduction,
  where: string,
): tf.Tensor | null {
  if (mask === null) return sampleWeight;
  let floatMask = alignWeightRank(mask.cast('float32'), values, where, 'the mask');
  if (reduction === 'sum_over_batch_size') {
    const total = floatMask.size;
    const valid = floatMask.sum();
    // divide_no_nan: an all-masked batch weighs 0 rather than NaN.
    const scale = tf.where(valid.greater(0), tf.scalar(total).div(tf.maximum(valid, 1)), tf.scalar(0));
    floatMask = floatMask.mul(scale);
  }
  if (sampleWeight === null) return floatMask;
  return floatMask.mul(alignWeightRank(sampleWeight.cast('float32'), values, where));
}

/** Weighted reduction of loss values (all tensors created here belong to the caller's tidy scope). */
export function reduceWeightedValues(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  mask: tf.Tensor | null,
  reduction: Reduction,
  where: string,
): tf.Tensor {
  const weight = applyMask(sampleWeight, mask, values, reduction, where);
  let weighted = values;
  if (weight !== null) weighted = values.mul(alignWeightRank(weight, values, where));
  if (reduction === 'none' || weighted.rank === 0) return weighted;
  const sum = weighted.sum();
  if (reduction === 'sum') return sum;
  return weighted.size === 0 ? tf.scalar(0) : sum.div(weighted.size);
}
