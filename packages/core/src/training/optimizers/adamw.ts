/**
 * AdamW: Adam with decoupled weight decay (Keras 3 optimizers/adamw.py). Before each Adam step the
 * weights shrink by w -= w * weightDecay * lr, independently of the gradient. weightDecay defaults
 * to 0.004 and must be a number.
 */
import { Adam, type AdamArgs } from './adam';
import { learningRateFromConfig } from './optimizer';

export class AdamW extends Adam {
  static override className = 'AdamW';
  constructor(args: AdamArgs = {}) {
    super({ ...args, weightDecay: args.weightDecay === undefined ? 0.004 : args.weightDecay }, 'adamw');
    if (this.weightDecay === null || !Number.isFinite(this.weightDecay)) {
      throw new Error(`AdamW: weightDecay must be a number, got ${String(args.weightDecay)}.`);
    }
  }

  static override fromConfig(config: Record<string, unknown>): AdamW {
    return new AdamW({ ...(config as AdamArgs), learningRate: learningRateFromConfig(config.learningRate) });
  }
}
