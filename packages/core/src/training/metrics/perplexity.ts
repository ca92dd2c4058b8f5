/**
 * Perplexity of a language model: exp of the mean sparse categorical cross-entropy over the tokens
 * seen (as KerasHub's Perplexity), leaving out masked steps and, optionally, a padding token.
 */
import * as tf from '@tensorflow/tfjs';
import { sparseCategoricalCrossentropy } from '../losses/crossentropy';
import { Metric, checkedState, type MetricDirection } from './metric';
import { valueWeights } from './weights';

export interface PerplexityArgs {
  name?: string;
  fromLogits?: boolean;
  /** Targets equal to this id are not counted (padding). */
  maskTokenId?: number | null;
}

export class Perplexity extends Metric {
  static override className = 'Perplexity';
  readonly direction: MetricDirection = 'down';
  readonly fromLogits: boolean;
  readonly maskTokenId: number | null;
  private crossentropySum = 0;
  private tokens = 0;

  constructor(args: PerplexityArgs = {}) {
    super(args.name ?? 'perplexity');
    this.fromLogits = args.fromLogits ?? false;
    this.maskTokenId = args.maskTokenId ?? null;
  }

  statistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null, mask: tf.Tensor | null): tf.Tensor {
    const ce = sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
    let weight = valueWeights(ce, sampleWeight, mask, `metric '${this.name}'`);
    if (this.maskTokenId !== null) {
      const labels = yTrue.rank === yPred.rank ? yTrue.squeeze([yTrue.rank - 1]) : yTrue;
      weight = weight.mul(labels.cast('float32').round().notEqual(this.maskTokenId).cast('float32'));
    }
    return tf.stack([ce.mul(weight).sum(), weight.sum()]);
  }

  accumulate(stats: ArrayLike<number>): void {
    this.crossentropySum += stats[0];
    this.tokens += stats[1];
  }

  result(): number {
    return this.tokens === 0 ? 0 : Math.exp(this.crossentropySum / this.tokens);
  }

  reset(): void {
    this.crossentropySum = 0;
    this.tokens = 0;
  }

  override getState(): number[] {
    return [this.crossentropySum, this.tokens];
  }

  override setState(state: readonly number[]): void {
    [this.crossentropySum, this.tokens] = checkedState(state, 2, this.name);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, maskTokenId: this.maskTokenId };
  }
}
