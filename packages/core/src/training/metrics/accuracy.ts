/** Accuracy functions and metrics (Keras 3 metrics/accuracy_metrics.py): 1 for a hit, 0 for a miss. */
import * as tf from '@tensorflow/tfjs';
import { alignTargets } from '../losses/reduction';
import { crossentropyKind, type CrossentropyKind } from '../losses/auto_crossentropy';
import { MeanMetricWrapper } from './mean_metric';

/** Mean over the last axis of (yPred > threshold) == yTrue. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  return tf.tidy(() => {
    const t = alignTargets(yTrue.cast('float32'), yPred);
    const p = yPred;
    return p.greater(threshold).cast('float32').equal(t).cast('float32').mean(-1);
  });
}

/** argmax(yTrue) == argmax(yPred) over the last axis. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.argMax(yTrue, -1).equal(tf.argMax(yPred, -1)).cast('float32'));
}

/** yTrue (class ids, optionally with a trailing axis of 1) == argmax(yPred). */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let labels = yTrue;
    if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = labels.squeeze([labels.rank - 1]);
    return labels.cast('float32').round().equal(tf.argMax(yPred, -1).cast('float32')).cast('float32');
  });
}

export class BinaryAccuracy extends MeanMetricWrapper {
  static override className = 'BinaryAccuracy';
  constructor(args: { name?: string; threshold?: number } = {}) {
    const threshold = args.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), args.name ?? 'binary_accuracy', 'up');
    this.threshold = threshold;
  }
  readonly threshold: number;
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'CategoricalAccuracy';
  constructor(args: { name?: string } = {}) {
    super(categoricalAccuracy, args.name ?? 'categorical_accuracy', 'up');
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseCategoricalAccuracy';
  constructor(args: { name?: string } = {}) {
    super(sparseCategoricalAccuracy, args.name ?? 'sparse_categorical_accuracy', 'up');
  }
}

const ACCURACY_FNS: Record<CrossentropyKind, (t: tf.Tensor, p: tf.Tensor) => tf.Tensor> = {
  binary: binaryAccuracy,
  sparse: sparseCategoricalAccuracy,
  categorical: categoricalAccuracy,
};

/**
 * 'accuracy' / 'acc': binary, sparse or categorical accuracy. The kind comes from the output's loss
 * when that is a cross-entropy (as Keras 2 did), otherwise from the shapes of the first batch (Keras 3).
 */
export class Accuracy extends MeanMetricWrapper {
  static override className = 'Accuracy';
  private kind: CrossentropyKind | null;
  constructor(args: { name?: string; kind?: CrossentropyKind | null } = {}) {
    super(binaryAccuracy, args.name ?? 'accuracy', 'up');
    this.kind = args.kind ?? null;
  }
  protected override values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return ACCURACY_FNS[this.resolve(yTrue, yPred)](yTrue, yPred);
  }
  private resolve(yTrue: tf.Tensor, yPred: tf.Tensor): CrossentropyKind {
    if (this.kind === null) this.kind = crossentropyKind(yTrue, yPred);
    return this.kind;
  }
  /** The accuracy chosen (null until the first batch when it is decided by shapes). */
  get resolvedKind(): CrossentropyKind | null {
    return this.kind;
  }
}
