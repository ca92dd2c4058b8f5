import * as tf from '@tensorflow/tfjs';
import type { SerializedObject } from '../initializers/initializer';

/** A penalty on a weight (or activity) tensor, added to the training loss. */
export abstract class Regularizer {
  static className: string;
  abstract apply(x: tf.Tensor): tf.Scalar;
  abstract getConfig(): Record<string, unknown>;
  get className(): string {
    return (this.constructor as typeof Regularizer).className;
  }
  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}

function checkFactor(owner: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${owner} regularizer: ${name}: expected a non-negative number, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** l1 * sum(|x|) + l2 * sum(x^2) (Keras 3: no 1/2 factor). */
export class L1L2 extends Regularizer {
  static override className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor(this.className, 'l1', args.l1 ?? 0);
    this.l2 = checkFactor(this.className, 'l2', args.l2 ?? 0);
  }
  apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let penalty: tf.Scalar = tf.scalar(0);
      if (this.l1 > 0) penalty = penalty.add(tf.abs(x).sum().mul(this.l1));
      if (this.l2 > 0) penalty = penalty.add(tf.square(x).sum().mul(this.l2));
      return penalty;
    });
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** l1 * sum(|x|); Keras default l1 = 0.01. */
export class L1 extends L1L2 {
  static override className = 'L1';
  constructor(args: { l1?: number } = {}) {
    super({ l1: args.l1 ?? 0.01, l2: 0 });
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** l2 * sum(x^2); Keras default l2 = 0.01. */
export class L2 extends L1L2 {
  static override className = 'L2';
  constructor(args: { l2?: number } = {}) {
    super({ l1: 0, l2: args.l2 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}
