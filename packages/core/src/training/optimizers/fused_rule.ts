/**
 * The update rules of the optimizers, over arrays: for each variable, one loop over Float32Arrays
 * reads the gradient, the weights and the slot values once and writes the new weights and slot
 * values. Clipping, the decoupled weight decay and the rule are fused in that one pass, computed in
 * float64 and rounded to float32 on store. It is the only definition of each rule (beside its
 * optimizer, e.g. adam.ts), used on every backend: instead of a chain of about ten tfjs ops per
 * variable (each a new tensor and a generic broadcasting loop), one read and one write of each array.
 * When the native kernels are in use, a rule's branch-free case runs in the addon instead
 * (optimizerUpdate of @recurrent/kernels): the same operations in the same order, so the same bits.
 */

/** Arrays and scalars one rule needs for one variable. The arrays are read, never written. */
export interface FusedInputs {
  gradient: Float32Array;
  weights: Float32Array;
  /** The clipped gradient is clamp(gradient * gradientScale, -clipValue, clipValue). */
  gradientScale: number;
  /** Infinity when clipvalue is not set. */
  clipValue: number;
  /** Decoupled weight decay factor weightDecay * lr, applied as w -= w * decay before the rule (0: none). */
  decay: number;
  learningRate: number;
}

/** Slot arrays of one variable by kind ('momentum', 'velocity', ...). */
export type FusedSlots = Record<string, Float32Array>;

/** Fresh arrays: the new weights and the new value of every slot kind the rule keeps. */
export interface FusedResult {
  weights: Float32Array;
  slots: FusedSlots;
}

/** One optimizer's update rule over arrays, with its hyperparameters (and step) already bound. */
export type FusedRule = (inputs: FusedInputs, slots: FusedSlots) => FusedResult;

/** clamp(g * scale, -limit, limit); a NaN element stays NaN, as with tf.clipByValue. */
export function clippedGradient(g: number, scale: number, limit: number): number {
  const x = g * scale;
  return x > limit ? limit : x < -limit ? -limit : x;
}

/** w - w * decay; skipped when decay is 0 so that an infinite weight stays infinite (Infinity * 0 is NaN). */
export function decayedWeight(w: number, decay: number): number {
  return decay === 0 ? w : w - w * decay;
}
