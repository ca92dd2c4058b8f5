/**
 * Adam (Keras 3 optimizers/adam.py), with t = iterations + 1:
 *   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   m += (g - m) * (1 - beta1);  v += (g^2 - v) * (1 - beta2)
 *   w -= alpha * m / (sqrt(v) + epsilon)          epsilon = 1e-7 (Keras), outside the bias correction
 * amsgrad keeps the running maximum of v. Default learning rate 0.001.
 */
import * as tf from '@tensorflow/tfjs';
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import type { FusedRule } from './fused_rule';
import { fusedAdam } from './fused_updates';

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

  protected updateStep(g: tf.Tensor, w: tf.Variable, lr: number, slots: Record<string, tf.Variable>): void {
    const alpha = this.stepSize(lr);
    const { momentum: m, velocity: v } = slots;
    m.assign(m.add(g.sub(m).mul(1 - this.beta1)));
    v.assign(v.add(g.square().sub(v).mul(1 - this.beta2)));
    let denomSource: tf.Tensor = v;
    if (this.amsgrad) {
      const vHat = slots.velocity_hat;
      vHat.assign(tf.maximum(vHat, v));
      denomSource = vHat;
    }
    w.assign(w.sub(m.mul(alpha).div(denomSource.sqrt().add(this.epsilon))));
  }

  protected override fusedRule(): FusedRule {
    const { beta1, beta2, epsilon, amsgrad } = this;
    return (inputs, slots) =>
      fusedAdam(
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
