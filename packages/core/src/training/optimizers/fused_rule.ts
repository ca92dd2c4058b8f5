/**
 * The fused update path: on the tfjs 'cpu' backend an optimizer updates each variable with one plain
 * loop over Float32Arrays that reads the gradient, the weights and the slot values once and writes the
 * new weights and slot values, instead of a chain of about ten tfjs ops (each a new tensor, a generic
 * broadcasting loop, then garbage). The op-based `updateStep` of each optimizer stays the reference
 * and runs on every other backend.
 *
 * The path is on by default; `RECURRENT_FUSED_OPTIMIZERS=0` in the environment or
 * `setFusedOptimizerUpdates(false)` forces the op path (to compare both, or to rule the fused path out
 * when chasing a numerical difference).
 */

/** Arrays and scalars one fused rule needs for one variable. The arrays are read, never written. */
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

let forced: boolean | null = null;

/**
 * Forces the fused path on (true) or off (false); null returns to the default, which follows the
 * RECURRENT_FUSED_OPTIMIZERS environment variable ('0' turns the fused path off).
 */
export function setFusedOptimizerUpdates(enabled: boolean | null): void {
  forced = enabled;
}

/** Whether optimizers may take the fused path (it is still taken only on the 'cpu' backend with float32 data). */
export function fusedOptimizerUpdatesEnabled(): boolean {
  if (forced !== null) return forced;
  return typeof process === 'undefined' || process.env.RECURRENT_FUSED_OPTIMIZERS !== '0';
}
