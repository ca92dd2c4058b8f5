/**
 * RMSprop (Keras 3 optimizers/rmsprop.py):
 *   velocity = rho * velocity + (1 - rho) * g^2
 *   centered: avg = rho * avg + (1 - rho) * g;  denominator = velocity - avg^2 + epsilon
 *   otherwise denominator = velocity + epsilon          (epsilon inside the square root, 1e-7)
 *   increment = lr * g / sqrt(denominator)
 *   momentum > 0: mom = momentum * mom + increment; w -= mom;  otherwise w -= increment
 * Defaults: learning rate 0.001, rho 0.9, momentum 0, centered false.
 */
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import { optimizerUpdate } from '@recurrent/kernels';
import { clippedGradient, decayedWeight, type FusedInputs, type FusedResult, type FusedRule } from './fused_rule';

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  static override className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super('rmsprop', 0.001, args);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
    if (!(this.rho >= 0 && this.rho < 1)) throw new Error(`RMSprop: rho must be in [0, 1), got ${this.rho}.`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`RMSprop: momentum must be in [0, 1], got ${this.momentum}.`);
  }

  protected slotGroups() {
    const groups = [{ names: ['velocity'], initialValue: 0 }];
    if (this.momentum > 0) groups.push({ names: ['momentum'], initialValue: 0 });
    if (this.centered) groups.push({ names: ['average_gradient'], initialValue: 0 });
    return groups;
  }

  protected fusedRule(): FusedRule {
    const { rho, momentum, epsilon, centered } = this;
    return (inputs, slots) =>
      rmspropRule(
        inputs,
        { velocity: slots.velocity, momentum: momentum > 0 ? slots.momentum : null, averageGradient: centered ? slots.average_gradient : null },
        rho,
        momentum,
        epsilon,
      );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  static fromConfig(config: Record<string, unknown>): RMSprop {
    return new RMSprop({ ...(config as RMSpropArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}

interface RMSpropSlots {
  velocity: Float32Array;
  /** Only with momentum > 0. */
  momentum: Float32Array | null;
  /** Only when centered. */
  averageGradient: Float32Array | null;
}

/**
 * velocity = rho * velocity + (1 - rho) g^2; centered: avg = rho * avg + (1 - rho) g;
 * increment = lr * g / sqrt(velocity [- avg^2] + epsilon)   (epsilon inside the square root);
 * momentum > 0: mom = momentum * mom + increment, w -= mom; otherwise w -= increment.
 */
function rmspropRule(inputs: FusedInputs, slots: RMSpropSlots, rho: number, momentum: number, epsilon: number): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay, learningRate: lr } = inputs;
  const { velocity, momentum: momentumSlot, averageGradient } = slots;
  if (momentumSlot === null && averageGradient === null && clipValue === Infinity) {
    // The addon's loop, when it is in use, has this rule's arithmetic (the same bits), decay included.
    const native = optimizerUpdate('rmsprop', gradient, weights, { velocity }, { gradientScale, decay, learningRate: lr, rho, epsilon });
    if (native !== null) return native;
  }
  const n = weights.length;
  const oneMinusRho = 1 - rho;
  const newWeights = new Float32Array(n);
  const newVelocity = new Float32Array(n);
  if (momentumSlot === null && averageGradient === null && clipValue === Infinity && decay === 0) {
    // The common case (clipnorm or no clipping), the same arithmetic without the branches of the options:
    // clamping to +-Infinity and a decay of 0 leave every value as it is.
    for (let i = 0; i < n; i++) {
      const g = gradient[i] * gradientScale;
      const v = rho * velocity[i] + oneMinusRho * g * g;
      newVelocity[i] = v;
      newWeights[i] = weights[i] - (lr * g) / Math.sqrt(v + epsilon);
    }
    return { weights: newWeights, slots: { velocity: newVelocity } };
  }
  const newMomentum = momentumSlot === null ? null : new Float32Array(n);
  const newAverage = averageGradient === null ? null : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const v = rho * velocity[i] + oneMinusRho * g * g;
    newVelocity[i] = v;
    let denominator: number;
    if (newAverage !== null) {
      const avg = rho * averageGradient![i] + oneMinusRho * g;
      newAverage[i] = avg;
      denominator = v - avg * avg + epsilon;
    } else {
      denominator = v + epsilon;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    const w = decayedWeight(weights[i], decay);
    if (newMomentum !== null) {
      const mom = momentum * momentumSlot![i] + increment;
      newMomentum[i] = mom;
      newWeights[i] = w - mom;
    } else {
      newWeights[i] = w - increment;
    }
  }
  const newSlots: Record<string, Float32Array> = { velocity: newVelocity };
  if (newMomentum !== null) newSlots.momentum = newMomentum;
  if (newAverage !== null) newSlots.average_gradient = newAverage;
  return { weights: newWeights, slots: newSlots };
}
