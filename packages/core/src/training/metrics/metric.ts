/**
 * Stateful metrics (Keras's Metric: update_state, result, reset_state). A metric reduces each batch
 * to a few sufficient statistics (e.g. a weighted sum and a count) computed as one small tensor; the
 * engine gathers the statistics of every metric into one read-back per batch and accumulates them in
 * plain numbers, so metric state never holds tensors.
 */
import * as tf from '@tensorflow/tfjs';

export type MetricDirection = 'up' | 'down';

/** A metric state of `size` numbers (NaN allowed: a diverged loss), or an error naming the metric. */
export function checkedState(state: readonly number[], size: number, name: string): number[] {
  if (!Array.isArray(state) || state.length !== size || !state.every((v) => typeof v === 'number')) {
    throw new Error(`the state of metric '${name}' must be ${size} numbers, got ${JSON.stringify(state)}.`);
  }
  return [...state];
}

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

  /**
   * The accumulated state as plain numbers, so that a training backup taken in the middle of an epoch
   * (BackupAndRestore) continues the epoch's running value exactly. Built-in metrics implement it; a
   * custom metric overrides getState and setState to be backed up mid-epoch.
   */
  getState(): number[] {
    throw new Error(`metric '${this.name}' (${this.className ?? this.constructor.name}) does not implement getState/setState, so its running value cannot be backed up in the middle of an epoch; implement them, or back up once per epoch.`);
  }

  /** Restores a state returned by getState. */
  setState(_state: readonly number[]): void {
    throw new Error(`metric '${this.name}' (${this.className ?? this.constructor.name}) does not implement getState/setState.`);
  }

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
