/**
 * Cross-entropy losses with Keras 3's numerics (keras/src/losses/losses.py and the TensorFlow backend's
 * nn.py): probabilities are clipped to [1e-7, 1 - 1e-7]; categorical probabilities are renormalised
 * to sum to one first; the class axis is the last one.
 */
import * as tf from '@tensorflow/tfjs';
import { Loss, type LossArgs, type LossValues } from './loss';
import { alignTargets } from './reduction';
import { categoricalCrossentropyLastAxis, softmaxCrossEntropyLastAxis } from '@recurrent/kernels';
import { logSumExpLastAxis } from './last_axis';

/** Keras's backend epsilon. */
export const EPSILON = 1e-7;

function sameShape(yTrue: tf.Tensor, yPred: tf.Tensor, lossName: string, hint: string): void {
  if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
    throw new Error(`${lossName}: targets of shape [${yTrue.shape}] do not match predictions of shape [${yPred.shape}]. ${hint}`);
  }
}

export interface CategoricalCrossentropyOptions {
  fromLogits?: boolean;
  /** In [0, 1]: targets become y * (1 - s) + s / numClasses. */
  labelSmoothing?: number;
}

/** The float32 targets of a categorical cross-entropy, label smoothing applied. */
function categoricalTarget(yTrue: tf.Tensor, yPred: tf.Tensor, smoothing: number): tf.Tensor {
  sameShape(yTrue, yPred, 'categoricalCrossentropy', 'It expects one-hot targets; for integer class ids use sparseCategoricalCrossentropy.');
  checkSmoothing(smoothing, 'categoricalCrossentropy');
  const target = yTrue.cast('float32');
  if (smoothing === 0) return target;
  const numClasses = yPred.shape[yPred.rank - 1];
  return target.mul(1 - smoothing).add(smoothing / numClasses);
}

/** Per-sample categorical cross-entropy for one-hot (or soft) targets. */
export function categoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, opts: CategoricalCrossentropyOptions = {}): tf.Tensor {
  return tf.tidy(() => {
    const target = categoricalTarget(yTrue, yPred, opts.labelSmoothing ?? 0);
    if (opts.fromLogits) {
      // -sum(y * (x - lse(x))) = lse(x) * sum(y) - sum(y * x)
      return logSumExpLastAxis(yPred).mul(target.sum(-1)).sub(target.mul(yPred).sum(-1));
    }
    // Normalised to sum to one, clipped to [EPSILON, 1 - EPSILON], -sum(y * log(.)): one op per row.
    return categoricalCrossentropyLastAxis(target, yPred.dtype === 'float32' ? yPred : yPred.cast('float32'), EPSILON);
  });
}

/**
 * Per-sample categorical cross-entropy of softmax predictions `probs` = softmax(`logits`) over the last
 * axis, computed from the logits as Keras's TensorFlow backend does when the predictions come out of a
 * softmax activation: -sum(target * log_softmax(logits)), with no clip of the probabilities. Where every
 * probability lies in [1e-7, 1 - 1e-7] this equals categoricalCrossentropy(yTrue, probs) within float32
 * rounding, gradient included; beyond the clip it keeps the true value and a nonzero gradient.
 */
export function categoricalCrossentropyOfSoftmax(
  yTrue: tf.Tensor,
  probs: tf.Tensor,
  logits: tf.Tensor,
  opts: { labelSmoothing?: number } = {},
): tf.Tensor {
  return tf.tidy(() => softmaxCrossEntropyLastAxis(categoricalTarget(yTrue, probs, opts.labelSmoothing ?? 0), logits, probs));
}

export interface SparseCategoricalCrossentropyOptions {
  fromLogits?: boolean;
  /** A class id whose targets are left out of the loss (e.g. padding). */
  ignoreClass?: number | null;
  /**
   * The logits `yPred` was computed from by a softmax over the last axis: the loss is then computed
   * from them (as categoricalCrossentropyOfSoftmax, no clip of the probabilities). Not with fromLogits.
   */
  softmaxLogits?: tf.Tensor | null;
}

/** Integer class ids [..] (or [.., 1]) against probabilities or logits [.., C]. */
function sparseLabels(yTrue: tf.Tensor, yPred: tf.Tensor, lossName: string): tf.Tensor {
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = labels.squeeze([labels.rank - 1]);
  const expected = yPred.shape.slice(0, -1);
  if (!tf.util.arraysEqual(labels.shape, expected)) {
    throw new Error(
      `${lossName}: integer targets of shape [${yTrue.shape}] do not match predictions of shape [${yPred.shape}]; ` +
        `expected targets of shape [${expected}] (class ids, class axis last). For one-hot targets use categoricalCrossentropy.`,
    );
  }
  // Class ids may arrive as floats (tensors built from JS arrays); round them once here.
  return labels.cast('float32').round();
}

/** Per-element sparse categorical cross-entropy and, with ignoreClass, the mask of kept targets. */
export function sparseCategoricalCrossentropyWithMask(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  opts: SparseCategoricalCrossentropyOptions = {},
): LossValues {
  const values = tf.tidy(() => {
    const labels = sparseLabels(yTrue, yPred, 'sparseCategoricalCrossentropy');
    const kept = opts.ignoreClass == null ? labels : tf.where(labels.equal(opts.ignoreClass), tf.zerosLike(labels), labels);
    const ids = kept.cast('int32');
    const numClasses = yPred.shape[yPred.rank - 1];
    const targetLogit = (logits: tf.Tensor) => tf.oneHot(ids.flatten(), numClasses).reshape(logits.shape).mul(logits).sum(-1);
    let picked: tf.Tensor;
    if (opts.softmaxLogits != null && !opts.fromLogits) {
      picked = softmaxCrossEntropyLastAxis(kept, opts.softmaxLogits, yPred, { sparse: true });
    } else if (opts.fromLogits) {
      picked = logSumExpLastAxis(yPred).sub(targetLogit(yPred));
    } else {
      // TensorFlow's backend takes log(clip(p)) as logits; the log-softmax of log p is log p - log(sum p).
      const clipped = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
      picked = clipped.sum(-1).log().sub(targetLogit(clipped.log()));
    }
    if (opts.ignoreClass == null) return picked;
    return tf.where(labels.equal(opts.ignoreClass), tf.zerosLike(picked), picked);
  });
  if (opts.ignoreClass == null) return { values, mask: null };
  const mask = tf.tidy(() => sparseLabels(yTrue, yPred, 'sparseCategoricalCrossentropy').notEqual(opts.ignoreClass!).cast('float32'));
  return { values, mask };
}

export function sparseCategoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, opts: SparseCategoricalCrossentropyOptions = {}): tf.Tensor {
  const { values, mask } = sparseCategoricalCrossentropyWithMask(yTrue, yPred, opts);
  mask?.dispose();
  return values;
}

export interface BinaryCrossentropyOptions {
  fromLogits?: boolean;
  /** In [0, 1]: targets become y * (1 - s) + 0.5 * s. */
  labelSmoothing?: number;
}

/** Mean over the last axis of the elementwise binary cross-entropy. */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, opts: BinaryCrossentropyOptions = {}): tf.Tensor {
  return tf.tidy(() => {
    const t0 = alignTargets(yTrue.cast('float32'), yPred);
    const p = yPred;
    sameShape(t0, p, 'binaryCrossentropy', 'Targets must be 0/1 values shaped like the predictions.');
    const smoothing = opts.labelSmoothing ?? 0;
    checkSmoothing(smoothing, 'binaryCrossentropy');
    const t = smoothing > 0 ? t0.mul(1 - smoothing).add(0.5 * smoothing) : t0;
    let elementwise: tf.Tensor;
    if (opts.fromLogits) {
      // max(x, 0) - x * z + log(1 + exp(-|x|)): stable for large |x|.
      elementwise = tf.relu(p).sub(p.mul(t)).add(tf.log1p(tf.exp(p.abs().neg())));
    } else {
      const clipped = tf.clipByValue(p, EPSILON, 1 - EPSILON);
      elementwise = t.mul(clipped.log()).add(tf.scalar(1).sub(t).mul(tf.scalar(1).sub(clipped).log())).neg();
    }
    return elementwise.mean(-1);
  });
}

/** Whether a loss takes the softmax logits of yPred: not when yPred are logits already (fromLogits), float32 only. */
function softmaxLogitsApply(fromLogits: boolean, yPred: tf.Tensor, logits: tf.Tensor): boolean {
  return !fromLogits && yPred.dtype === 'float32' && logits.dtype === 'float32' && tf.util.arraysEqual(logits.shape, yPred.shape);
}

function checkSmoothing(s: number, where: string): void {
  if (!(s >= 0 && s <= 1)) throw new Error(`${where}: labelSmoothing must be in [0, 1], got ${s}.`);
}

export class CategoricalCrossentropy extends Loss {
  static override className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: LossArgs & CategoricalCrossentropyOptions = {}) {
    super('categorical_crossentropy', args);
    this.fromLogits = args.fromLogits ?? false;
    this.labelSmoothing = args.labelSmoothing ?? 0;
    checkSmoothing(this.labelSmoothing, 'CategoricalCrossentropy');
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
  /** Predictions out of a softmax: the loss of their logits (fromLogits: true keeps treating yPred as logits). */
  override callWithSoftmaxLogits(yTrue: tf.Tensor, yPred: tf.Tensor, logits: tf.Tensor): LossValues | null {
    if (!softmaxLogitsApply(this.fromLogits, yPred, logits)) return null;
    return { values: categoricalCrossentropyOfSoftmax(yTrue, yPred, logits, { labelSmoothing: this.labelSmoothing }), mask: null };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

export class SparseCategoricalCrossentropy extends Loss {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  constructor(args: LossArgs & SparseCategoricalCrossentropyOptions = {}) {
    super('sparse_categorical_crossentropy', args);
    this.fromLogits = args.fromLogits ?? false;
    this.ignoreClass = args.ignoreClass ?? null;
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass });
  }
  /** Predictions out of a softmax: the loss of their logits (fromLogits: true keeps treating yPred as logits). */
  override callWithSoftmaxLogits(yTrue: tf.Tensor, yPred: tf.Tensor, logits: tf.Tensor): LossValues | null {
    if (!softmaxLogitsApply(this.fromLogits, yPred, logits)) return null;
    return sparseCategoricalCrossentropyWithMask(yTrue, yPred, { ignoreClass: this.ignoreClass, softmaxLogits: logits });
  }
  override callWithMask(yTrue: tf.Tensor, yPred: tf.Tensor): LossValues {
    return sparseCategoricalCrossentropyWithMask(yTrue, yPred, { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
}

export class BinaryCrossentropy extends Loss {
  static override className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: LossArgs & BinaryCrossentropyOptions = {}) {
    super('binary_crossentropy', args);
    this.fromLogits = args.fromLogits ?? false;
    this.labelSmoothing = args.labelSmoothing ?? 0;
    checkSmoothing(this.labelSmoothing, 'BinaryCrossentropy');
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}
