/**
 * RMSprop (Keras 3 optimizers/rmsprop.py):
 *   velocity = rho * velocity + (1 - rho) * g^2
 *   centered: avg = rho * avg + (1 - rho) * g;  denominator = velocity - avg^2 + epsilon
 *   otherwise denominator = velocity + epsilon          (epsilon inside the square root, 1e-7)
 *   increment = lr * g / sqrt(denominator)
 *   momentum > 0: mom = momentum * mom + increment; w -= mom;  otherwise w -= increment
 * Defaults: learning rate 0.001, rho 0.9, momentum 0, centered false.
 */
import * as tf from '@tensorflow/tfjs';
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import type { FusedRule } from './fused_rule';
import { fusedRMSprop } from './fused_updates';

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

  protected updateStep(g: tf.Tensor, w: tf.Variable, lr: number, slots: Record<string, tf.Variable>): void {
    const velocity = slots.velocity;
    velocity.assign(velocity.mul(this.rho).add(g.square().mul(1 - this.rho)));
    let denominator: tf.Tensor;
    if (this.centered) {
      const avg = slots.average_gradient;
      avg.assign(avg.mul(this.rho).add(g.mul(1 - this.rho)));
      denominator = velocity.sub(avg.square()).add(this.epsilon);
    } else {
      denominator = velocity.add(this.epsilon);
    }
    const increment = g.mul(lr).div(denominator.sqrt());
    if (this.momentum > 0) {
      const mom = slots.momentum;
      mom.assign(mom.mul(this.momentum).add(increment));
      w.assign(w.sub(mom));
    } else {
      w.assign(w.sub(increment));
    }
  }

  protected override fusedRule(): FusedRule {
    const { rho, momentum, epsilon, centered } = this;
    return (inputs, slots) =>
      fusedRMSprop(
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
