/**
 * What compile() sets up: per-output losses and weights, per-output metrics, the optimizer, and the
 * running means shown in the logs. Computes the total loss of a batch together with the statistics of
 * every metric as one tensor, so a training step reads back a single small vector.
 */
import * as tf from '@tensorflow/tfjs';
import type { Loss } from './losses/loss';
import type { Metric, MetricDirection } from './metrics/metric';
import { Mean } from './metrics/mean_metric';
import type { Optimizer } from './optimizers/optimizer';
import type { Logs } from './logs';
import { classWeightToSampleWeight } from './class_weight';

export interface OutputMetrics {
  /** Updated without sample weights (masks still apply), as Keras's `metrics`. */
  plain: Metric[];
  /** Updated with sample weights, as Keras's `weightedMetrics`. */
  weighted: Metric[];
}

export interface BatchTargets {
  ys: (tf.Tensor | null)[];
  sampleWeights: (tf.Tensor | null)[];
  /** [class id, weight] pairs (single-output models), applied as sample weights. */
  classWeight?: readonly [number, number][] | null;
}

export interface LossAndStatistics {
  total: tf.Scalar;
  /** [total, per-output losses (several outputs only), metric statistics...] */
  stats: tf.Tensor1D;
}

export class CompiledTraining {
  readonly lossTracker = new Mean('loss');
  readonly outputLossTrackers: (Mean | null)[];
  /** Log key of each metric, in order (plain then weighted, output by output). */
  private readonly metricKeys: string[] = [];
  private readonly metricList: Metric[] = [];
  private statSizes: number[] | null = null;

  constructor(
    readonly optimizer: Optimizer,
    readonly outputNames: readonly string[],
    readonly losses: (Loss | null)[],
    readonly lossWeights: number[],
    readonly metrics: OutputMetrics[],
    /** The compile arguments in serializable form (for saving the training config). */
    readonly config: Record<string, unknown>,
  ) {
    const lossCount = losses.filter((l) => l !== null).length;
    this.outputLossTrackers = losses.map((l, i) => (l !== null && lossCount > 1 ? new Mean(`${outputNames[i]}_loss`) : null));
    const used = new Set<string>(['loss', ...this.outputLossTrackers.filter((t): t is Mean => t !== null).map((t) => t.name)]);
    const prefix = (i: number) => (outputNames.length > 1 ? `${outputNames[i]}_` : '');
    const unique = (base: string) => {
      let name = base;
      for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
      used.add(name);
      return name;
    };
    metrics.forEach((m, i) => {
      for (const metric of m.plain) {
        this.metricKeys.push(unique(prefix(i) + metric.name));
        this.metricList.push(metric);
      }
      for (const metric of m.weighted) {
        const base = prefix(i) + metric.name;
        this.metricKeys.push(unique(used.has(base) ? prefix(i) + `weighted_${metric.name}` : base));
        this.metricList.push(metric);
      }
    });
  }

  get hasLoss(): boolean {
    return this.losses.some((l) => l !== null);
  }

  /**
   * The total loss (weighted output losses plus the model's regularization losses) and all statistics.
   * `logits` holds, per output, the logits of a softmax output (else null), for the losses that use them.
   */
  lossAndStatistics(
    targets: BatchTargets,
    outputs: tf.Tensor[],
    masks: (tf.Tensor | null)[],
    regularization: tf.Tensor[],
    logits?: (tf.Tensor | null)[],
  ): LossAndStatistics {
    const outputLosses: tf.Tensor[] = [];
    let total: tf.Tensor = tf.scalar(0);
    const weights: (tf.Tensor | null)[] = outputs.map((out, i) => {
      const y = targets.ys[i];
      if (targets.classWeight && y) return classWeightToSampleWeight(y, out, targets.classWeight);
      return targets.sampleWeights[i] ?? null;
    });
    this.losses.forEach((loss, i) => {
      if (loss === null) return;
      const y = targets.ys[i];
      if (!y) throw new Error(`fit: output '${this.outputNames[i]}' has a loss but no target data was given for it.`);
      const value = loss.compute(y, outputs[i], { sampleWeight: weights[i], mask: masks[i] ?? null, softmaxLogits: logits?.[i] ?? null });
      if (value.rank !== 0) throw new Error(`Loss '${loss.name}' must reduce to a scalar (reduction 'none' cannot be trained on).`);
      outputLosses.push(value);
      total = total.add(this.lossWeights[i] === 1 ? value : value.mul(this.lossWeights[i]));
    });
    for (const r of regularization) total = total.add(r.sum());
    const pieces: tf.Tensor[] = [total.reshape([1])];
    if (outputLosses.length > 1) pieces.push(...outputLosses.map((l) => l.reshape([1])));
    const sizes: number[] = [];
    this.metrics.forEach((m, i) => {
      const y = targets.ys[i];
      if (!y) {
        if (m.plain.length + m.weighted.length > 0) throw new Error(`Metrics of output '${this.outputNames[i]}' need target data for it.`);
        return;
      }
      for (const metric of m.plain) pieces.push(this.metricStats(metric, y, outputs[i], null, masks[i] ?? null, sizes));
      for (const metric of m.weighted) pieces.push(this.metricStats(metric, y, outputs[i], weights[i], masks[i] ?? null, sizes));
    });
    this.statSizes = sizes;
    return { total: total as tf.Scalar, stats: tf.concat(pieces) as tf.Tensor1D };
  }

  private metricStats(metric: Metric, y: tf.Tensor, out: tf.Tensor, weight: tf.Tensor | null, mask: tf.Tensor | null, sizes: number[]): tf.Tensor {
    const s = metric.statistics(y, out, weight, mask).cast('float32').flatten();
    sizes.push(s.size);
    return s;
  }

  /** Folds a batch's statistics (read back from lossAndStatistics) into the running means. */
  accumulate(stats: ArrayLike<number>, batchSize: number): void {
    let k = 0;
    this.lossTracker.add(stats[k++], batchSize);
    const trackers = this.outputLossTrackers.filter((t): t is Mean => t !== null);
    if (trackers.length > 1) for (const t of trackers) t.add(stats[k++], batchSize);
    const sizes = this.statSizes ?? [];
    this.metricList.forEach((metric, i) => {
      const n = sizes[i];
      metric.accumulate(Array.prototype.slice.call(stats, k, k + n));
      k += n;
    });
  }

  resetMetrics(): void {
    this.lossTracker.reset();
    for (const t of this.outputLossTrackers) t?.reset();
    for (const m of this.metricList) m.reset();
  }

  /** The running means' state (loss, per-output losses, then each metric), for a mid-epoch backup. */
  getMetricState(): number[][] {
    const trackers = [this.lossTracker, ...this.outputLossTrackers.filter((t): t is Mean => t !== null)];
    return [...trackers.map((t) => t.getState()), ...this.metricList.map((m) => m.getState())];
  }

  /** Restores getMetricState's result (from a run compiled the same way). */
  setMetricState(state: readonly (readonly number[])[]): void {
    const trackers = [this.lossTracker, ...this.outputLossTrackers.filter((t): t is Mean => t !== null)];
    if (!Array.isArray(state) || state.length !== trackers.length + this.metricList.length) {
      throw new Error(`the running metric state has ${Array.isArray(state) ? state.length : 'no'} entries, but the model's compile settings track ${trackers.length + this.metricList.length} (loss${this.metricKeys.length > 0 ? `, ${this.metricKeys.join(', ')}` : ''}).`);
    }
    trackers.forEach((t, i) => t.setState(state[i]));
    this.metricList.forEach((m, i) => m.setState(state[trackers.length + i]));
  }

  /** Keras-named running results: loss, per-output losses, metrics. */
  results(): Logs {
    const logs: Logs = { loss: this.lossTracker.result() };
    for (const t of this.outputLossTrackers) if (t) logs[t.name] = t.result();
    this.metricList.forEach((m, i) => {
      logs[this.metricKeys[i]] = m.result();
    });
    return logs;
  }

  /** Whether a larger value of a log key (without 'val_') is better, for callbacks in mode 'auto'. */
  direction(key: string): MetricDirection | null {
    const name = key.startsWith('val_') ? key.slice(4) : key;
    if (name === 'loss' || this.outputLossTrackers.some((t) => t?.name === name)) return 'down';
    const i = this.metricKeys.indexOf(name);
    return i >= 0 ? this.metricList[i].direction : null;
  }
}
