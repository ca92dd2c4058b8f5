/** Regression losses: the elementwise error averaged over the last axis (Keras 3 losses.py). */
import * as tf from '@tensorflow/tfjs';
import { Loss, type LossArgs } from './loss';
import { alignTargets } from './reduction';

function aligned(yTrue: tf.Tensor, yPred: tf.Tensor, lossName: string): [tf.Tensor, tf.Tensor] {
  const t = alignTargets(yTrue.cast('float32'), yPred);
  const p = yPred;
  if (!tf.util.arraysEqual(t.shape, p.shape)) {
    throw new Error(`${lossName}: targets of shape [${yTrue.shape}] do not match predictions of shape [${yPred.shape}].`);
  }
  return [t, p];
}

export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = aligned(yTrue, yPred, 'meanSquaredError');
    return p.sub(t).square().mean(-1);
  });
}

export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = aligned(yTrue, yPred, 'meanAbsoluteError');
    return p.sub(t).abs().mean(-1);
  });
}

/** 0.5 e^2 where |e| <= delta, delta * |e| - 0.5 delta^2 beyond. */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, delta = 1): tf.Tensor {
  if (!(delta > 0)) throw new Error(`huber: delta must be positive, got ${delta}.`);
  return tf.tidy(() => {
    const [t, p] = aligned(yTrue, yPred, 'huber');
    const error = p.sub(t);
    const absError = error.abs();
    const quadratic = error.square().mul(0.5);
    const linear = absError.mul(delta).sub(0.5 * delta * delta);
    return tf.where(absError.lessEqual(delta), quadratic, linear).mean(-1);
  });
}

export class MeanSquaredError extends Loss {
  static override className = 'MeanSquaredError';
  constructor(args: LossArgs = {}) {
    super('mean_squared_error', args);
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

export class MeanAbsoluteError extends Loss {
  static override className = 'MeanAbsoluteError';
  constructor(args: LossArgs = {}) {
    super('mean_absolute_error', args);
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

export class Huber extends Loss {
  static override className = 'Huber';
  readonly delta: number;
  constructor(args: LossArgs & { delta?: number } = {}) {
    super('huber_loss', args);
    this.delta = args.delta ?? 1;
    if (!(this.delta > 0)) throw new Error(`Huber: delta must be positive, got ${this.delta}.`);
  }
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return huber(yTrue, yPred, this.delta);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}
