import * as tf from '@tensorflow/tfjs';
import type { Constraint } from '../constraints/constraint';
import type { Initializer } from '../initializers/initializer';
import type { LayerDType } from './types';

export interface LayerVariableArgs {
  /** Full name, `<layerName>/<weightName>` (`lstm/kernel`). */
  name: string;
  shape: number[];
  dtype?: LayerDType;
  trainable?: boolean;
  constraint?: Constraint | null;
  /** Produces the initial value on first use; not called at all if a value is written first. */
  initializer?: Initializer;
  /** Seed handed to the initializer, drawn when the weight is declared so that lazy creation stays reproducible. */
  seed?: number;
}

/**
 * A layer weight. The underlying tf.Variable is created lazily: on first read from the initializer, or
 * directly from the first written value. Loading weights into a freshly built model therefore never
 * runs the (possibly slow, e.g. orthogonal) random initialisers.
 */
export class LayerVariable {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: LayerDType;
  constraint: Constraint | null;
  private variable: tf.Variable | null = null;
  private isTrainable: boolean;
  private readonly initializer: Initializer | undefined;
  private readonly seed: number | undefined;
  private disposed = false;

  constructor(args: LayerVariableArgs) {
    this.name = args.name;
    this.shape = [...args.shape];
    this.dtype = args.dtype ?? 'float32';
    this.isTrainable = args.trainable ?? true;
    this.constraint = args.constraint ?? null;
    this.initializer = args.initializer;
    this.seed = args.seed;
    for (const d of this.shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new Error(`Weight ${this.name}: shape [${this.shape.join(', ')}] must be non-negative integers (a layer was built with an unknown dimension).`);
      }
    }
  }

  get trainable(): boolean {
    return this.isTrainable;
  }
  set trainable(value: boolean) {
    this.isTrainable = value;
    if (this.variable) this.variable.trainable = value;
  }

  /** Number of scalars. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** True once the tf.Variable exists (initialised or written). */
  get initialized(): boolean {
    return this.variable !== null;
  }

  /** The tf.Variable (created from the initializer on first access); what optimizers update. */
  get val(): tf.Variable {
    this.assertAlive();
    if (!this.variable) {
      const init = this.initializer;
      const initial = tf.tidy(() => (init ? init.apply(this.shape, this.dtype, this.seed) : tf.zeros(this.shape, this.dtype)));
      this.variable = tf.variable(initial, this.isTrainable, undefined, this.dtype);
      initial.dispose();
    }
    return this.variable;
  }

  /** The current value (the variable itself; do not dispose it). */
  read(): tf.Tensor {
    return this.val;
  }

  /** Replaces the value; the shape must match exactly. The caller keeps ownership of `value`. */
  write(value: tf.Tensor): void {
    this.assertAlive();
    if (!tf.util.arraysEqual(value.shape, this.shape)) {
      throw new Error(`Weight ${this.name}: expected shape [${this.shape.join(', ')}], got [${value.shape.join(', ')}].`);
    }
    const cast = value.dtype === this.dtype ? value : tf.cast(value, this.dtype);
    if (this.variable) this.variable.assign(cast);
    else this.variable = tf.variable(cast, this.isTrainable, undefined, this.dtype);
    if (cast !== value) cast.dispose();
  }

  dispose(): void {
    if (this.variable) this.variable.dispose();
    this.variable = null;
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error(`Weight ${this.name} was disposed (its layer or model was disposed).`);
  }
}
