import * as tf from '@tensorflow/tfjs';
import type { LayerDType } from '../engine/types';
import { Initializer } from './initializer';

/** All zeros. */
export class Zeros extends Initializer {
  static override className = 'Zeros';
  apply(shape: number[], dtype: LayerDType = 'float32'): tf.Tensor {
    return tf.zeros(shape, dtype);
  }
}

/** All ones. */
export class Ones extends Initializer {
  static override className = 'Ones';
  apply(shape: number[], dtype: LayerDType = 'float32'): tf.Tensor {
    return tf.ones(shape, dtype);
  }
}

/** Every element equal to `value`. */
export class Constant extends Initializer {
  static override className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    const value = args.value ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`Constant initializer: value: expected a finite number, got ${JSON.stringify(value)}.`);
    }
    this.value = value;
  }
  apply(shape: number[], dtype: LayerDType = 'float32'): tf.Tensor {
    return tf.fill(shape, this.value, dtype);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** `gain` times the identity matrix (2-D shapes only; rectangular shapes get ones on the main diagonal). */
export class Identity extends Initializer {
  static override className = 'Identity';
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
  }
  apply(shape: number[], dtype: LayerDType = 'float32'): tf.Tensor {
    if (shape.length !== 2) {
      throw new Error(`Identity initializer: needs a 2-D shape, got [${shape.join(', ')}]; use it for square kernels such as recurrent kernels.`);
    }
    return tf.tidy(() => tf.eye(shape[0], shape[1], undefined, dtype).mul(tf.scalar(this.gain, dtype)));
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}
