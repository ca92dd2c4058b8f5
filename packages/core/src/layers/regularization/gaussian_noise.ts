import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, seedSchema } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { nonNegativeNumber } from '../activations/activation_args';
import { NoiseLayer } from './noise_layer';

export const gaussianNoiseArgsSchema = baseLayerArgsSchema.extend({
  /** Standard deviation of the added noise (Keras 3 also caps it at 1; Keras 2 files may hold more). */
  stddev: nonNegativeNumber(),
  seed: seedSchema().optional(),
}).strict();

export type GaussianNoiseArgs = z.input<typeof gaussianNoiseArgsSchema>;

/** Adds zero-mean Gaussian noise of standard deviation `stddev` in training (Keras GaussianNoise). */
export class GaussianNoise extends NoiseLayer {
  static override className = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    const a = parseLayerArgs('GaussianNoise', gaussianNoiseArgsSchema, args);
    super(a);
    this.stddev = a.stddev;
  }

  protected get active(): boolean {
    return this.stddev > 0;
  }

  protected addNoise(x: Tensor, seed: number): Tensor {
    return tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', seed));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

registerLayer(GaussianNoise);
