/**
 * Pieces shared by the attention layers: their boolean call options, the causal mask, and the masked
 * softmax of Keras 3's MultiHeadAttention (its Softmax layer's rule).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';

/** A boolean call option (`returnAttentionScores`, `useCausalMask`): absent or null means false. */
export function callFlag(options: Record<string, unknown> | undefined, name: string, owner: string): boolean {
  const value = options?.[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new Error(`${owner}: the call option ${name} must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

/** `[1, tq, tv]`, true where query step i may attend to value step j (j <= i): Keras's lower triangle. */
export function causalMask(tq: number, tv: number): Tensor {
  return tf.tidy(() => {
    const rows = tf.range(0, tq, 1, 'int32').reshape([tq, 1]);
    const columns = tf.range(0, tv, 1, 'int32').reshape([1, tv]);
    return tf.greaterEqual(rows, columns).expandDims(0);
  });
}

/** A mask as booleans: masks may come as bool, or as 0/1 numbers (Keras treats any non-zero as kept). */
export function asBool(mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
}

/** Keras's large negative logit for masked positions (float32). */
const MASKED_LOGIT = -1e9;

/**
 * Softmax over the last axis where `keep` (broadcast to the scores) allows, as Keras 3's Softmax layer
 * with a mask: masked logits get -1e9 added, and masked outputs are zero, so a row with nothing to
 * attend to gives zeros rather than a uniform distribution.
 */
export function maskedSoftmax(scores: Tensor, keep: Tensor | null): Tensor {
  return tf.tidy(() => {
    if (keep === null) return tf.softmax(scores);
    const keepFloat = tf.cast(keep, 'float32');
    const weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, keepFloat), MASKED_LOGIT)));
    return tf.mul(weights, keepFloat);
  });
}
