/** Combining sample weights and masks into one elementwise weight for metric values. */
import * as tf from '@tensorflow/tfjs';
import { alignWeightRank } from '../losses/reduction';

/**
 * The weight of each value: the product of the aligned sample weight and mask, or ones. Unlike the
 * loss, metrics do not rescale the mask: a masked step simply counts zero times.
 */
export function valueWeights(values: tf.Tensor, sampleWeight: tf.Tensor | null, mask: tf.Tensor | null, where: string): tf.Tensor {
  let weight: tf.Tensor = tf.onesLike(values).cast('float32');
  if (sampleWeight !== null) weight = weight.mul(alignWeightRank(sampleWeight.cast('float32'), values, where));
  if (mask !== null) weight = weight.mul(alignWeightRank(mask.cast('float32'), values, where, 'the mask'));
  return weight;
}
