/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum (Keras 3 optimizers/sgd.py):
 *   m = momentum * m - lr * g
 *   w += m                               (plain momentum)
 *   w += momentum * m - lr * g           (nesterov)
 * Without momentum: w -= lr * g. Default learning rate 0.01.
 */
import * as tf from '@tensorflow/tfjs';
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import type { FusedRule } from './fused_rule';
import { fusedSGD } from './fused_updates';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  static override className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super('SGD', 0.01, args);
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`SGD: momentum must be in [0, 1], got ${this.momentum}.`);
  }

  protected slotGroups() {
    return this.momentum !== 0 ? [{ names: ['momentum'], initialValue: 0 }] : [];
  }

  protected updateStep(g: tf.Tensor, v: tf.Variable, lr: number, slots: Record<string, tf.Variable>): void {
    if (this.momentum === 0) {
      v.assign(v.sub(g.mul(lr)));
      return;
    }
    const m = slots.momentum;
    m.assign(m.mul(this.momentum).sub(g.mul(lr)));
    if (this.nesterov) v.assign(v.add(m.mul(this.momentum).sub(g.mul(lr))));
    else v.assign(v.add(m));
  }

  protected override fusedRule(): FusedRule {
    const { momentum, nesterov } = this;
    return (inputs, slots) => fusedSGD(inputs, momentum !== 0 ? slots.momentum : null, momentum, nesterov);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }

  static fromConfig(config: Record<string, unknown>): SGD {
    return new SGD({ ...(config as SGDArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}
