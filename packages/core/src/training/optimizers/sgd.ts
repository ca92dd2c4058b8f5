/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum (Keras 3 optimizers/sgd.py):
 *   m = momentum * m - lr * g
 *   w += m                               (plain momentum)
 *   w += momentum * m - lr * g           (nesterov)
 * Without momentum: w -= lr * g. Default learning rate 0.01.
 */
import { Optimizer, learningRateFromConfig, type OptimizerArgs } from './optimizer';
import { optimizerUpdate } from '@recurrent/kernels';
import { clippedGradient, decayedWeight, type FusedInputs, type FusedResult, type FusedRule } from './fused_rule';

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

  protected fusedRule(): FusedRule {
    const { momentum, nesterov } = this;
    return (inputs, slots) => sgdRule(inputs, momentum !== 0 ? slots.momentum : null, momentum, nesterov);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }

  static fromConfig(config: Record<string, unknown>): SGD {
    return new SGD({ ...(config as SGDArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}

/** m = momentum * m - lr * g; w += m (or, Nesterov, w += momentum * m - lr * g); without momentum w -= lr * g. */
function sgdRule(inputs: FusedInputs, momentumSlot: Float32Array | null, momentum: number, nesterov: boolean): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay, learningRate: lr } = inputs;
  if (clipValue === Infinity) {
    // The addon's loops, when it is in use, have this rule's arithmetic (the same bits).
    const native =
      momentumSlot === null
        ? optimizerUpdate('sgd', gradient, weights, {}, { gradientScale, decay, learningRate: lr })
        : optimizerUpdate('sgdMomentum', gradient, weights, { momentum: momentumSlot }, { gradientScale, decay, learningRate: lr, momentum, nesterov });
    if (native !== null) return native;
  }
  const n = weights.length;
  const newWeights = new Float32Array(n);
  if (momentumSlot === null) {
    for (let i = 0; i < n; i++) {
      const g = clippedGradient(gradient[i], gradientScale, clipValue);
      newWeights[i] = decayedWeight(weights[i], decay) - lr * g;
    }
    return { weights: newWeights, slots: {} };
  }
  const newMomentum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const m = momentum * momentumSlot[i] - lr * g;
    newMomentum[i] = m;
    const w = decayedWeight(weights[i], decay);
    newWeights[i] = nesterov ? w + (momentum * m - lr * g) : w + m;
  }
  return { weights: newWeights, slots: { momentum: newMomentum } };
}
