import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, rate, seedSchema } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { DropoutSeedStream } from '../rnn/dropout_masks';

export const gaussianDropoutArgsSchema = baseLayerArgsSchema.extend({
  /** Drop probability, as for Dropout: the noise has standard deviation sqrt(rate / (1 - rate)). */
  rate: rate(),
  seed: seedSchema().optional(),
}).strict();

export type GaussianDropoutArgs = z.input<typeof gaussianDropoutArgsSchema>;

/**
 * Multiplies by Gaussian noise of mean 1 and standard deviation sqrt(rate / (1 - rate)) in training;
 * the identity otherwise (Keras GaussianDropout). New noise every call, from a stream seeded once. The
 * mask passes through.
 */
export class GaussianDropout extends Layer {
  static override className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  private readonly seeds: DropoutSeedStream;

  constructor(args: GaussianDropoutArgs) {
    const a = parseLayerArgs('GaussianDropout', gaussianDropoutArgsSchema, args);
    super(a);
    this.rate = a.rate;
    this.seed = a.seed ?? null;
    this.seeds = new DropoutSeedStream(this.seed);
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.rate === 0) return x;
    const seed = this.seeds.next();
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.tidy(() => tf.mul(x, tf.randomNormal(x.shape, 1, stddev, 'float32', seed)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

registerLayer(GaussianDropout);
