/**
 * Adagrad (Keras 3 optimizers/adagrad.py): accumulator starts at 0.1;
 *   accumulator += g^2;  w -= lr * g / sqrt(accumulator + epsilon)        epsilon 1e-7
 * Default learning rate 0.001.
 */
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import { optimizerUpdate } from '@recurrent/kernels';
import { clippedGradient, decayedWeight, type FusedInputs, type FusedResult, type FusedRule } from './fused_rule';

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

  protected fusedRule(): FusedRule {
    const { epsilon } = this;
    return (inputs, slots) => adagradRule(inputs, slots.accumulator, epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  static fromConfig(config: Record<string, unknown>): Adagrad {
    return new Adagrad({ ...(config as AdagradArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}

/** accumulator += g^2; w -= lr * g / sqrt(accumulator + epsilon). */
function adagradRule(inputs: FusedInputs, accumulator: Float32Array, epsilon: number): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay, learningRate: lr } = inputs;
  if (clipValue === Infinity) {
    // The addon's loop, when it is in use, has this rule's arithmetic (the same bits).
    const native = optimizerUpdate('adagrad', gradient, weights, { accumulator }, { gradientScale, decay, learningRate: lr, epsilon });
    if (native !== null) return native;
  }
  const n = weights.length;
  const newWeights = new Float32Array(n);
  const newAccumulator = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const acc = accumulator[i] + g * g;
    newAccumulator[i] = acc;
    newWeights[i] = decayedWeight(weights[i], decay) - (lr * g) / Math.sqrt(acc + epsilon);
  }
  return { weights: newWeights, slots: { accumulator: newAccumulator } };
}
