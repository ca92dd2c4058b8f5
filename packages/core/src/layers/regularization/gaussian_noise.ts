import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, seedSchema } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { DropoutSeedStream } from '../rnn/dropout_masks';
import { nonNegativeNumber } from '../activations/activation_args';

export const gaussianNoiseArgsSchema = baseLayerArgsSchema.extend({
  /** Standard deviation of the added noise (Keras 3 also caps it at 1; Keras 2 files may hold more). */
  stddev: nonNegativeNumber(),
  seed: seedSchema().optional(),
}).strict();

export type GaussianNoiseArgs = z.input<typeof gaussianNoiseArgsSchema>;

/**
 * Adds zero-mean Gaussian noise of standard deviation `stddev` in training; the identity otherwise
 * (Keras GaussianNoise). Each call draws new noise from a stream seeded once (by `seed`, else by the
 * global seed). The mask passes through.
 */
export class GaussianNoise extends Layer {
  static override className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;
  private readonly seeds: DropoutSeedStream;

  constructor(args: GaussianNoiseArgs) {
    const a = parseLayerArgs('GaussianNoise', gaussianNoiseArgsSchema, args);
    super(a);
    this.stddev = a.stddev;
    this.seed = a.seed ?? null;
    this.seeds = new DropoutSeedStream(this.seed);
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.stddev === 0) return x;
    const seed = this.seeds.next();
    return tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', seed)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}

registerLayer(GaussianNoise);
