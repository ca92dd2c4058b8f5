/**
 * The Loss base class: a per-element loss function (`call`, reducing the last axis like Keras) plus
 * the Keras reduction with sample weights and masks (`compute`).
 */
import * as tf from '@tensorflow/tfjs';
import { checkReduction, reduceWeightedValues, type Reduction } from './reduction';

/** Per-element loss values, optionally with a mask of entries to leave out (e.g. an ignored class). */
export interface LossValues {
  values: tf.Tensor;
  mask: tf.Tensor | null;
}

export interface LossArgs {
  name?: string;
  reduction?: Reduction;
}

export interface ComputeLossOptions {
  /** Per sample [B] or per timestep [B, T]. */
  sampleWeight?: tf.Tensor | null;
  /** The output's mask ([B, T], 1 = valid), from the model. */
  mask?: tf.Tensor | null;
  /**
   * The logits the predictions were computed from by a softmax over the last axis, when they were
   * (Keras's `_keras_logits`): losses that can compute from them do (callWithSoftmaxLogits).
   */
  softmaxLogits?: tf.Tensor | null;
}

export abstract class Loss {
  static className: string;
  readonly name: string;
  readonly reduction: Reduction;

  constructor(defaultName: string, args: LossArgs = {}) {
    this.name = args.name ?? defaultName;
    this.reduction = checkReduction(args.reduction ?? 'sum_over_batch_size', `${this.constructor.name}`);
  }

  /** Loss values with the last (feature or class) axis reduced: [B] or [B, T]. */
  abstract call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /** Values plus a mask of their own; losses that ignore some labels override this. */
  callWithMask(yTrue: tf.Tensor, yPred: tf.Tensor): LossValues {
    return { values: this.call(yTrue, yPred), mask: null };
  }

  /**
   * Values computed from the logits of softmax predictions (`yPred` = softmax(`logits`) over the last
   * axis), or null when this loss has no such form and uses the predictions (the default).
   */
  callWithSoftmaxLogits(_yTrue: tf.Tensor, _yPred: tf.Tensor, _logits: tf.Tensor): LossValues | null {
    return null;
  }

  /** The reduced loss (a scalar unless reduction is 'none'), honouring sample weights and the output mask. */
  compute(yTrue: tf.Tensor, yPred: tf.Tensor, opts: ComputeLossOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      const logits = opts.softmaxLogits ?? null;
      const fromLogits = logits === null ? null : this.callWithSoftmaxLogits(yTrue, yPred, logits);
      const { values, mask: ownMask } = fromLogits ?? this.callWithMask(yTrue, yPred);
      const outputMask = opts.mask ?? null;
      let mask: tf.Tensor | null = outputMask;
      if (ownMask !== null) mask = outputMask === null ? ownMask : ownMask.cast('float32').mul(outputMask.cast('float32'));
      return reduceWeightedValues(values, opts.sampleWeight ?? null, mask, this.reduction, `loss '${this.name}'`);
    });
  }

  get className(): string {
    return (this.constructor as typeof Loss).className;
  }

  /** Constructor arguments (camelCase), enough to rebuild the loss. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  serialize(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }
}

/** A plain function `(yTrue, yPred) => values` used as a loss, like Keras's LossFunctionWrapper. */
export class LossFunctionWrapper extends Loss {
  static override className = 'LossFunctionWrapper';
  constructor(
    readonly fn: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
    args: LossArgs = {},
  ) {
    super(fn.name || 'loss', args);
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.fn(yTrue, yPred);
  }
}
