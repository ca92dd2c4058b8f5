/** Metrics that are a weighted mean of per-sample (or per-step) values. */
import * as tf from '@tensorflow/tfjs';
import { Metric, checkedState, type MetricDirection } from './metric';
import { valueWeights } from './weights';

export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The weighted mean of `fn`'s values over everything seen since the last reset (Keras MeanMetricWrapper). */
export class MeanMetricWrapper extends Metric {
  static override className = 'MeanMetricWrapper';
  readonly direction: MetricDirection;
  protected total = 0;
  protected count = 0;

  constructor(
    readonly fn: MetricFn,
    name: string,
    direction: MetricDirection,
  ) {
    super(name);
    this.direction = direction;
  }

  /** Per-sample (or per-step) values of this batch. */
  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.fn(yTrue, yPred);
  }

  statistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null, mask: tf.Tensor | null): tf.Tensor {
    const values = this.values(yTrue, yPred).cast('float32');
    const weight = valueWeights(values, sampleWeight, mask, `metric '${this.name}'`);
    return tf.stack([values.mul(weight).sum(), weight.sum()]);
  }

  accumulate(stats: ArrayLike<number>): void {
    this.total += stats[0];
    this.count += stats[1];
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  override getState(): number[] {
    return [this.total, this.count];
  }

  override setState(state: readonly number[]): void {
    [this.total, this.count] = checkedState(state, 2, this.name);
  }
}

/** A running weighted mean of scalar values (Keras's Mean), used for the loss in the logs. */
export class Mean {
  private total = 0;
  private count = 0;
  constructor(readonly name: string) {}
  add(value: number, weight = 1): void {
    this.total += value * weight;
    this.count += weight;
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
  getState(): number[] {
    return [this.total, this.count];
  }
  setState(state: readonly number[]): void {
    [this.total, this.count] = checkedState(state, 2, this.name);
  }
}
