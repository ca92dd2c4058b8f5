/**
 * The loss of every training batch. fit hands callbacks the running mean of the epoch so far (as
 * Keras 3 does); the loss of batch b is recovered as (b + 1) * mean_b - b * mean_(b-1).
 */
import { Callback, type Logs } from '@recurrent/core';

export class BatchLosses extends Callback {
  readonly losses: number[] = [];
  private previousMean = 0;

  override onEpochBegin(): void {
    this.previousMean = 0;
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    const mean = Number(logs.loss);
    this.losses.push((batch + 1) * mean - batch * this.previousMean);
    this.previousMean = mean;
  }
}

/** A trailing moving average, so a curve of noisy batch losses can be read. */
export function movingAverage(values: readonly number[], width: number): number[] {
  const out: number[] = [];
  let sum = 0;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) (sum += values[i]), finite++;
    const drop = i - width;
    if (drop >= 0 && Number.isFinite(values[drop])) (sum -= values[drop]), finite--;
    // A window that saw a non-finite loss stays non-finite: the curve breaks where training broke.
    const windowBroken = values.slice(Math.max(0, i - width + 1), i + 1).some((v) => !Number.isFinite(v));
    out.push(windowBroken ? NaN : sum / Math.max(1, finite));
  }
  return out;
}
