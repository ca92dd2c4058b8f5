/**
 * The optimizers' update rules in the native addon, for @recurrent/core's optimizers: one variable's
 * new weights and slots from its gradient, weights and slots, with exactly the arithmetic of the
 * rule's JavaScript loop (double precision, float32 on store), so the results are the same bits.
 * Returns null when the JavaScript loop should run: the TypeScript kernels are in use (the addon
 * did not load, or RECURRENT_KERNELS=typescript), the arrays are too small for a native call to pay,
 * or a scalar is one the addon refuses (a non-finite learning rate or epsilon, which the loop still
 * carries through as the user asked).
 */
import { activeImplementation } from '../backend/implementation_choice';
import { loadNativeAddon } from '../native/load';
import type { NativeOptimizerRule } from '../native/addon_types';

/** Per rule, the slots it keeps and the scalars it takes (g = gradient * gradientScale; no clipvalue). */
export interface OptimizerUpdateRules {
  /** Adam and AdamW without amsgrad; stepSize is the bias-corrected learning rate of this step. */
  adam: {
    slots: { momentum: Float32Array; velocity: Float32Array };
    scalars: { gradientScale: number; decay: number; stepSize: number; beta1: number; beta2: number; epsilon: number };
  };
  /** RMSprop without momentum, not centered. */
  rmsprop: {
    slots: { velocity: Float32Array };
    scalars: { gradientScale: number; decay: number; learningRate: number; rho: number; epsilon: number };
  };
  adagrad: {
    slots: { accumulator: Float32Array };
    scalars: { gradientScale: number; decay: number; learningRate: number; epsilon: number };
  };
  sgd: {
    slots: Record<string, never>;
    scalars: { gradientScale: number; decay: number; learningRate: number };
  };
  /** SGD with momentum > 0, plain or Nesterov. */
  sgdMomentum: {
    slots: { momentum: Float32Array };
    scalars: { gradientScale: number; decay: number; learningRate: number; momentum: number; nesterov: boolean };
  };
}

export type OptimizerUpdateRule = keyof OptimizerUpdateRules;

export interface OptimizerUpdateResult<R extends OptimizerUpdateRule> {
  weights: Float32Array;
  slots: OptimizerUpdateRules[R]['slots'];
}

/**
 * Smaller variables (biases, small kernels) keep the JavaScript loop: a call into the addon has a fixed
 * cost (argument checks, result objects). Measured through Adam.applyGradients: about even at 1024
 * weights, the addon about twice as fast at 4096.
 */
export const MIN_NATIVE_OPTIMIZER_WEIGHTS = 4096;

interface NativeRule {
  native: NativeOptimizerRule;
  slots: readonly string[];
  /** The scalars in the addon's order; all but gradientScale must be finite. */
  scalars: readonly string[];
}

const NATIVE_RULES = new Map<OptimizerUpdateRule, NativeRule>([
  ['adam', { native: 'adam', slots: ['momentum', 'velocity'], scalars: ['gradientScale', 'decay', 'stepSize', 'beta1', 'beta2', 'epsilon'] }],
  ['rmsprop', { native: 'rmsprop', slots: ['velocity'], scalars: ['gradientScale', 'decay', 'learningRate', 'rho', 'epsilon'] }],
  ['adagrad', { native: 'adagrad', slots: ['accumulator'], scalars: ['gradientScale', 'decay', 'learningRate', 'epsilon'] }],
  ['sgd', { native: 'sgd', slots: [], scalars: ['gradientScale', 'decay', 'learningRate'] }],
  ['sgdMomentum', { native: 'sgd_momentum', slots: ['momentum'], scalars: ['gradientScale', 'decay', 'learningRate', 'momentum'] }],
]);

/** The rule run by the addon, or null when the JavaScript loop should run (see the file comment). */
export function optimizerUpdate<R extends OptimizerUpdateRule>(
  rule: R,
  gradient: Float32Array,
  weights: Float32Array,
  slots: OptimizerUpdateRules[R]['slots'],
  scalars: OptimizerUpdateRules[R]['scalars'],
): OptimizerUpdateResult<R> | null {
  if (weights.length < MIN_NATIVE_OPTIMIZER_WEIGHTS || activeImplementation().name !== 'native') return null;
  const load = loadNativeAddon();
  const spec = NATIVE_RULES.get(rule);
  if (!load.ok || spec === undefined) return null;
  const slotValues = slots as Record<string, Float32Array>;
  const scalarValues = scalars as unknown as Record<string, number>;
  const packed = new Float64Array(spec.scalars.length);
  for (let k = 0; k < spec.scalars.length; k++) {
    const x = scalarValues[spec.scalars[k]];
    if (k > 0 && !Number.isFinite(x)) return null;
    packed[k] = x;
  }
  const slotArrays = spec.slots.map((name) => slotValues[name]);
  const nesterov = rule === 'sgdMomentum' && (scalars as OptimizerUpdateRules['sgdMomentum']['scalars']).nesterov;
  const result = load.addon.optimizerUpdate(
    nesterov ? 'sgd_nesterov' : spec.native,
    gradient,
    weights,
    slotArrays[0] ?? null,
    slotArrays[1] ?? null,
    packed,
  );
  const newSlots: Record<string, Float32Array> = {};
  for (const name of spec.slots) newSlots[name] = result[name]!;
  return { weights: result.weights, slots: newSlots as OptimizerUpdateRules[R]['slots'] };
}
