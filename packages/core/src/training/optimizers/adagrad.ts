/**
 * Adagrad (Keras 3 optimizers/adagrad.py): accumulator starts at 0.1;
 *   accumulator += g^2;  w -= lr * g / sqrt(accumulator + epsilon)        epsilon 1e-7
 * Default learning rate 0.001.
 */
import * as tf from '@tensorflow/tfjs';
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import type { FusedRule } from './fused_rule';
import { fusedAdagrad } from './fused_updates';

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  static override className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super('adagrad', 0.001, args);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
    if (!(this.initialAccumulatorValue >= 0)) throw new Error(`Adagrad: initialAccumulatorValue must be >= 0, got ${this.initialAccumulatorValue}.`);
  }

  protected slotGroups() {
    return [{ names: ['accumulator'], initialValue: this.initialAccumulatorValue }];
  }

  protected updateStep(g: tf.Tensor, w: tf.Variable, lr: number, slots: Record<string, tf.Variable>): void {
    const acc = slots.accumulator;
    acc.assign(acc.add(g.square()));
    w.assign(w.sub(g.mul(lr).div(acc.add(this.epsilon).sqrt())));
  }

  protected override fusedRule(): FusedRule {
    const { epsilon } = this;
    return (inputs, slots) => fusedAdagrad(inputs, slots.accumulator, epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  static fromConfig(config: Record<string, unknown>): Adagrad {
    return new Adagrad({ ...(config as AdagradArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}
