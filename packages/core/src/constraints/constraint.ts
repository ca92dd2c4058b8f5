import * as tf from '@tensorflow/tfjs';
import type { SerializedObject } from '../initializers/initializer';

/** Keras's fuzz factor, added to norms before dividing. */
const EPSILON = 1e-7;

/** A projection applied to a weight after each optimizer step. */
export abstract class Constraint {
  static className: string;
  abstract apply(w: tf.Tensor): tf.Tensor;
  getConfig(): Record<string, unknown> {
    return {};
  }
  get className(): string {
    return (this.constructor as typeof Constraint).className;
  }
  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}

function norms(w: tf.Tensor, axis: number | number[]): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/** Rescales each slice along `axis` (default 0: each column of a kernel) to a norm of at most `maxValue`. */
export class MaxNorm extends Constraint {
  static override className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(args: { maxValue?: number; axis?: number | number[] } = {}) {
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.clipByValue(n, 0, this.maxValue);
      return w.mul(desired.div(n.add(EPSILON)));
    });
  }
  override getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Zeroes the negative entries. */
export class NonNeg extends Constraint {
  static override className = 'NonNeg';
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.where(tf.greaterEqual(w, 0), w, tf.zerosLike(w)));
  }
}

/** Divides each slice along `axis` by its norm. */
export class UnitNorm extends Constraint {
  static override className = 'UnitNorm';
  readonly axis: number | number[];
  constructor(args: { axis?: number | number[] } = {}) {
    super();
    this.axis = args.axis ?? 0;
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => w.div(norms(w, this.axis).add(EPSILON)));
  }
  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** Moves each slice's norm towards [minValue, maxValue] by `rate` (1 = clip exactly). */
export class MinMaxNorm extends Constraint {
  static override className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
    if (this.minValue > this.maxValue) {
      throw new Error(`MinMaxNorm constraint: minValue (${this.minValue}) must not exceed maxValue (${this.maxValue}).`);
    }
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const clipped = tf.clipByValue(n, this.minValue, this.maxValue);
      const desired = clipped.mul(this.rate).add(n.mul(1 - this.rate));
      return w.mul(desired.div(n.add(EPSILON)));
    });
  }
  override getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}
