import * as tf from '@tensorflow/tfjs';
import type { LayerDType } from '../engine/types';
import { nextSeed } from '../engine/random';
import { Initializer } from './initializer';

/** Base of initializers that draw random numbers: an optional fixed seed, else the seed given by the caller. */
export abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;
  constructor(seed: number | null | undefined) {
    super();
    if (seed != null && !Number.isInteger(seed)) {
      throw new Error(`${this.className} initializer: seed: expected an integer or null, got ${JSON.stringify(seed)}.`);
    }
    this.seed = seed ?? null;
  }
  protected pickSeed(seed?: number): number {
    return this.seed ?? seed ?? nextSeed();
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

function requireFloat(name: string, dtype: LayerDType): void {
  if (dtype !== 'float32') throw new Error(`${name} initializer: only float32 weights can be random, got ${dtype}.`);
}

/** Base of the two normal initializers: a mean and a standard deviation (Keras defaults 0 and 0.05). */
abstract class MeanStddevInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  protected abstract sample(shape: number[], seed: number | undefined): tf.Tensor;
  apply(shape: number[], dtype: LayerDType = 'float32', seed?: number): tf.Tensor {
    requireFloat(this.className, dtype);
    return this.sample(shape, this.pickSeed(seed));
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Normal distribution N(mean, stddev). Keras defaults: mean 0, stddev 0.05. */
export class RandomNormal extends MeanStddevInitializer {
  static override className = 'RandomNormal';
  protected sample(shape: number[], seed: number | undefined): tf.Tensor {
    return tf.randomNormal(shape, this.mean, this.stddev, 'float32', seed);
  }
}

/** Uniform distribution on [minval, maxval). Keras defaults: -0.05, 0.05. */
export class RandomUniform extends RandomInitializer {
  static override className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    if (!(this.maxval > this.minval)) {
      throw new Error(`RandomUniform initializer: maxval (${this.maxval}) must be greater than minval (${this.minval}).`);
    }
  }
  apply(shape: number[], dtype: LayerDType = 'float32', seed?: number): tf.Tensor {
    requireFloat(this.className, dtype);
    return tf.randomUniform(shape, this.minval, this.maxval, 'float32', this.pickSeed(seed));
  }
  override getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

/** Normal distribution re-drawn beyond two standard deviations. Keras defaults: mean 0, stddev 0.05. */
export class TruncatedNormal extends MeanStddevInitializer {
  static override className = 'TruncatedNormal';
  protected sample(shape: number[], seed: number | undefined): tf.Tensor {
    return tf.truncatedNormal(shape, this.mean, this.stddev, 'float32', seed);
  }
}
