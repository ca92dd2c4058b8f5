/** Precision and recall of binary predictions thresholded at 0.5 (Keras metrics/confusion_metrics.py). */
import * as tf from '@tensorflow/tfjs';
import { alignTargets } from '../losses/reduction';
import { Metric, checkedState, type MetricDirection } from './metric';
import { valueWeights } from './weights';

/** Weighted [truePositives, falsePositives, falseNegatives] of one batch. */
function confusionCounts(yTrue: tf.Tensor, yPred: tf.Tensor, threshold: number, sampleWeight: tf.Tensor | null, mask: tf.Tensor | null, name: string): tf.Tensor {
  const t = alignTargets(yTrue.cast('float32'), yPred);
  const p = yPred;
  if (!tf.util.arraysEqual(t.shape, p.shape)) {
    throw new Error(`metric '${name}': targets of shape [${yTrue.shape}] do not match predictions of shape [${yPred.shape}].`);
  }
  const predicted = p.greater(threshold).cast('float32');
  const actual = t.notEqual(0).cast('float32');
  const weight = valueWeights(predicted, sampleWeight, mask, `metric '${name}'`);
  const tp = predicted.mul(actual).mul(weight).sum();
  const fp = predicted.mul(tf.scalar(1).sub(actual)).mul(weight).sum();
  const fn = tf.scalar(1).sub(predicted).mul(actual).mul(weight).sum();
  return tf.stack([tp, fp, fn]);
}

abstract class ConfusionMetric extends Metric {
  readonly direction: MetricDirection = 'up';
  readonly threshold: number;
  protected truePositives = 0;
  protected falsePositives = 0;
  protected falseNegatives = 0;
  constructor(defaultName: string, args: { name?: string; threshold?: number }) {
    super(args.name ?? defaultName);
    this.threshold = args.threshold ?? 0.5;
    if (!(this.threshold >= 0 && this.threshold <= 1)) throw new Error(`${defaultName}: threshold must be in [0, 1], got ${this.threshold}.`);
  }
  statistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null, mask: tf.Tensor | null): tf.Tensor {
    return confusionCounts(yTrue, yPred, this.threshold, sampleWeight, mask, this.name);
  }
  accumulate(stats: ArrayLike<number>): void {
    this.truePositives += stats[0];
    this.falsePositives += stats[1];
    this.falseNegatives += stats[2];
  }
  reset(): void {
    this.truePositives = 0;
    this.falsePositives = 0;
    this.falseNegatives = 0;
  }
  override getState(): number[] {
    return [this.truePositives, this.falsePositives, this.falseNegatives];
  }
  override setState(state: readonly number[]): void {
    [this.truePositives, this.falsePositives, this.falseNegatives] = checkedState(state, 3, this.name);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** tp / (tp + fp); 0 when nothing was predicted positive. */
export class Precision extends ConfusionMetric {
  static override className = 'Precision';
  constructor(args: { name?: string; threshold?: number } = {}) {
    super('precision', args);
  }
  result(): number {
    const d = this.truePositives + this.falsePositives;
    return d === 0 ? 0 : this.truePositives / d;
  }
}

/** tp / (tp + fn); 0 when there was no positive target. */
export class Recall extends ConfusionMetric {
  static override className = 'Recall';
  constructor(args: { name?: string; threshold?: number } = {}) {
    super('recall', args);
  }
  result(): number {
    const d = this.truePositives + this.falseNegatives;
    return d === 0 ? 0 : this.truePositives / d;
  }
}
