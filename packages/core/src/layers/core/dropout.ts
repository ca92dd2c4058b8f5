import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { DropoutSeedStream } from '../rnn/dropout_masks';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, boundedShape, parseLayerArgs, positiveInt, rate, seedSchema } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';

export const dropoutArgsSchema = baseLayerArgsSchema.extend({
  rate: rate(),
  /** Shape of the keep/drop mask, broadcast over the input; null entries take the input's size. */
  noiseShape: boundedShape(z.union([positiveInt(), z.null()])).nullish(),
  seed: seedSchema().optional(),
}).strict();

export type DropoutArgs = z.input<typeof dropoutArgsSchema>;

/**
 * Inverted dropout: in training, zeroes each element with probability `rate` and scales the rest by
 * 1/(1-rate); the identity otherwise. Each call draws a new mask from a stream seeded once (by `seed`,
 * else by the global seed), so training is reproducible but masks differ between steps.
 */
export class Dropout extends Layer {
  static override className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  /** Seeds of the successive masks (its state is saved in training checkpoints). */
  private readonly seeds: DropoutSeedStream;

  constructor(args: DropoutArgs) {
    const a = parseLayerArgs(new.target.className ?? 'Dropout', dropoutArgsSchema, args);
    super(a);
    this.rate = a.rate;
    this.noiseShape = a.noiseShape ?? null;
    this.seed = a.seed ?? null;
    this.seeds = new DropoutSeedStream(this.seed);
    this.supportsMasking = true;
  }

  /** The mask shape for an input shape; subclasses (SpatialDropout1D) share one mask along some axes. */
  protected maskShape(inputShape: number[]): number[] {
    if (!this.noiseShape) return inputShape;
    if (this.noiseShape.length !== inputShape.length) {
      throw new Error(`${this.describe()}: noiseShape [${this.noiseShape.join(', ')}] must have the input's rank ${inputShape.length}.`);
    }
    return this.noiseShape.map((d, i) => d ?? inputShape[i]);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.rate === 0) return x;
    const seed = this.seeds.next();
    return tf.tidy(() => {
      const keep = tf.randomUniform(this.maskShape([...x.shape]), 0, 1, 'float32', seed).greaterEqual(this.rate);
      return x.mul(keep.cast(x.dtype)).div(1 - this.rate);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}

registerLayer(Dropout);
