/**
 * Keras's 'crossentropy' (or 'ce') loss name: binary, sparse or categorical cross-entropy chosen from
 * the shapes of the first batch (trainers/compile_utils.py is_binary_or_sparse_categorical).
 */
import type * as tf from '@tensorflow/tfjs';
import { Loss, type LossArgs, type LossValues } from './loss';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy';

export type CrossentropyKind = 'binary' | 'sparse' | 'categorical';

/** Which accuracy / cross-entropy matches targets and predictions of these shapes. */
export function crossentropyKind(yTrue: tf.Tensor, yPred: tf.Tensor): CrossentropyKind {
  const predLast = yPred.shape[yPred.rank - 1];
  const trueLast = yTrue.shape[yTrue.rank - 1];
  if (predLast === 1) return 'binary';
  if (yTrue.rank < yPred.rank || (trueLast === 1 && predLast > 1)) return 'sparse';
  return 'categorical';
}

export class AutoCrossentropy extends Loss {
  static override className = 'AutoCrossentropy';
  readonly fromLogits: boolean;
  private resolved: Loss | null = null;
  constructor(args: LossArgs & { fromLogits?: boolean } = {}) {
    super('crossentropy', args);
    this.fromLogits = args.fromLogits ?? false;
  }
  private resolve(yTrue: tf.Tensor, yPred: tf.Tensor): Loss {
    if (this.resolved === null) {
      const args = { fromLogits: this.fromLogits, reduction: this.reduction };
      const kind = crossentropyKind(yTrue, yPred);
      this.resolved =
        kind === 'binary' ? new BinaryCrossentropy(args) : kind === 'sparse' ? new SparseCategoricalCrossentropy(args) : new CategoricalCrossentropy(args);
    }
    return this.resolved;
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.resolve(yTrue, yPred).call(yTrue, yPred);
  }
  override callWithMask(yTrue: tf.Tensor, yPred: tf.Tensor): LossValues {
    return this.resolve(yTrue, yPred).callWithMask(yTrue, yPred);
  }
  override callWithSoftmaxLogits(yTrue: tf.Tensor, yPred: tf.Tensor, logits: tf.Tensor): LossValues | null {
    return this.resolve(yTrue, yPred).callWithSoftmaxLogits(yTrue, yPred, logits);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}
