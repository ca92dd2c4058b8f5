import type * as tf from '@tensorflow/tfjs';
import type { LayerDType } from '../engine/types';

/** The serialized form of an initializer, regularizer or constraint: Keras class name plus camelCase config. */
export interface SerializedObject {
  className: string;
  config: Record<string, unknown>;
}

/** Produces the initial value of a weight. Random initializers draw a fresh seed unless given one. */
export abstract class Initializer {
  /** The Keras class name, used in configs (`GlorotUniform`). */
  static className: string;

  /**
   * Returns a new tensor of `shape`. `seed` is the seed to use when the initializer has none of its own;
   * layers pass one drawn at weight creation so lazily initialised weights stay reproducible.
   */
  abstract apply(shape: number[], dtype?: LayerDType, seed?: number): tf.Tensor;

  /** camelCase config, the inverse of the constructor's argument. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  get className(): string {
    return (this.constructor as typeof Initializer).className;
  }

  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}
