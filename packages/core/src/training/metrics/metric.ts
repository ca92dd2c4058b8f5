/**
 * Stateful metrics (Keras's Metric: update_state, result, reset_state). A metric reduces each batch
 * to a few sufficient statistics (e.g. a weighted sum and a count) computed as one small tensor; the
 * engine gathers the statistics of every metric into one read-back per batch and accumulates them in
 * plain numbers, so metric state never holds tensors.
 */
import * as tf from '@tensorflow/tfjs';

export type MetricDirection = 'up' | 'down';

export abstract class Metric {
  static className: string;
  name: string;
  /** Whether larger values are better ('up', e.g. accuracy) or smaller ('down', e.g. mse). */
  abstract readonly direction: MetricDirection;

  constructor(name: string) {
    this.name = name;
  }

  /**
   * This batch's statistics as a 1-D tensor (created in the caller's tidy scope). `sampleWeight` is per
   * sample or per timestep; `mask` is the output's mask ([B, T], 1 = valid): masked steps are left out.
   */
  abstract statistics(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null, mask: tf.Tensor | null): tf.Tensor;
  /** Folds statistics read back from `statistics` into the state. */
  abstract accumulate(stats: ArrayLike<number>): void;
  abstract result(): number;
  abstract reset(): void;

  /** Keras's update_state: accumulates one batch. */
  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null, mask: tf.Tensor | null = null): void {
    const stats = tf.tidy(() => this.statistics(yTrue, yPred, sampleWeight, mask));
    try {
      this.accumulate(stats.dataSync());
    } finally {
      stats.dispose();
    }
  }

  get className(): string {
    return (this.constructor as typeof Metric).className;
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }

  serialize(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }
}
