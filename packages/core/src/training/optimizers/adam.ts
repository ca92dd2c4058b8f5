/**
 * Adam (Keras 3 optimizers/adam.py), with t = iterations + 1:
 *   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   m += (g - m) * (1 - beta1);  v += (g^2 - v) * (1 - beta2)
 *   w -= alpha * m / (sqrt(v) + epsilon)          epsilon = 1e-7 (Keras), outside the bias correction
 * amsgrad keeps the running maximum of v. Default learning rate 0.001.
 */
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import { optimizerUpdate } from '@recurrent/kernels';
import { clippedGradient, decayedWeight, type FusedInputs, type FusedResult, type FusedRule } from './fused_rule';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  static override className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(args: AdamArgs = {}, defaultName = 'adam') {
    super(defaultName, 0.001, args);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
    for (const [k, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`${this.constructor.name}: ${k} must be in [0, 1), got ${b}.`);
    }
  }

  protected slotGroups() {
    const groups = [{ names: ['momentum', 'velocity'], initialValue: 0 }];
    if (this.amsgrad) groups.push({ names: ['velocity_hat'], initialValue: 0 });
    return groups;
  }

  protected fusedRule(): FusedRule {
    const { beta1, beta2, epsilon, amsgrad } = this;
    return (inputs, slots) =>
      adamRule(
        inputs,
        { momentum: slots.momentum, velocity: slots.velocity, velocityHat: amsgrad ? slots.velocity_hat : null },
        this.stepSize(inputs.learningRate),
        beta1,
        beta2,
        epsilon,
      );
  }

  /** The bias-corrected step size of the coming update, t = iterations + 1. */
  private stepSize(lr: number): number {
    const t = this.iterations + 1;
    return (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }

  static fromConfig(config: Record<string, unknown>): Adam {
    return new Adam({ ...(config as AdamArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}

interface AdamSlots {
  momentum: Float32Array;
  velocity: Float32Array;
  /** Only with amsgrad. */
  velocityHat: Float32Array | null;
}

/**
 * m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); amsgrad: vHat = max(vHat, v);
 * w -= alpha * m / (sqrt(v or vHat) + epsilon), with alpha the bias-corrected step size of this step.
 */
function adamRule(inputs: FusedInputs, slots: AdamSlots, alpha: number, beta1: number, beta2: number, epsilon: number): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay } = inputs;
  const { momentum, velocity, velocityHat } = slots;
  const n = weights.length;
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  if (velocityHat === null && clipValue === Infinity) {
    // The common case (clipnorm or no clipping, no amsgrad): the addon's loop when it is in use (the same
    // bits), else this rule's arithmetic without the branches of the options (clamping to +-Infinity
    // leaves every value as it is).
    const native = optimizerUpdate('adam', gradient, weights, { momentum, velocity }, { gradientScale, decay, stepSize: alpha, beta1, beta2, epsilon });
    if (native !== null) return native;
    const newWeights = new Float32Array(n);
    const newMomentum = new Float32Array(n);
    const newVelocity = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const g = gradient[i] * gradientScale;
      const m = momentum[i] + (g - momentum[i]) * oneMinusBeta1;
      const v = velocity[i] + (g * g - velocity[i]) * oneMinusBeta2;
      newMomentum[i] = m;
      newVelocity[i] = v;
      const w = weights[i];
      newWeights[i] = (decay === 0 ? w : w - w * decay) - (alpha * m) / (Math.sqrt(v) + epsilon);
    }
    return { weights: newWeights, slots: { momentum: newMomentum, velocity: newVelocity } };
  }
  const newWeights = new Float32Array(n);
  const newMomentum = new Float32Array(n);
  const newVelocity = new Float32Array(n);
  const newVelocityHat = velocityHat === null ? null : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const m = momentum[i] + (g - momentum[i]) * oneMinusBeta1;
    const v = velocity[i] + (g * g - velocity[i]) * oneMinusBeta2;
    newMomentum[i] = m;
    newVelocity[i] = v;
    let denominatorSource = v;
    if (newVelocityHat !== null) {
      // Math.max propagates NaN like tf.maximum on 'cpu'.
      denominatorSource = Math.max(velocityHat![i], v);
      newVelocityHat[i] = denominatorSource;
    }
    newWeights[i] = decayedWeight(weights[i], decay) - (alpha * m) / (Math.sqrt(denominatorSource) + epsilon);
  }
  const newSlots: Record<string, Float32Array> = { momentum: newMomentum, velocity: newVelocity };
  if (newVelocityHat !== null) newSlots.velocity_hat = newVelocityHat;
  return { weights: newWeights, slots: newSlots };
}
