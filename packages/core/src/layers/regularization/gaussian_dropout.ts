import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, rate, seedSchema } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { NoiseLayer } from './noise_layer';

export const gaussianDropoutArgsSchema = baseLayerArgsSchema.extend({
  /** Drop probability, as for Dropout: the noise has standard deviation sqrt(rate / (1 - rate)). */
  rate: rate(),
  seed: seedSchema().optional(),
}).strict();

export type GaussianDropoutArgs = z.input<typeof gaussianDropoutArgsSchema>;

/**
 * Multiplies by Gaussian noise of mean 1 and standard deviation sqrt(rate / (1 - rate)) in training
 * (Keras GaussianDropout).
 */
export class GaussianDropout extends NoiseLayer {
  static override className = 'GaussianDropout';
  readonly rate: number;

  constructor(args: GaussianDropoutArgs) {
    const a = parseLayerArgs('GaussianDropout', gaussianDropoutArgsSchema, args);
    super(a);
    this.rate = a.rate;
  }

  protected get active(): boolean {
    return this.rate > 0;
  }

  protected addNoise(x: Tensor, seed: number): Tensor {
    return tf.mul(x, tf.randomNormal(x.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), 'float32', seed));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

registerLayer(GaussianDropout);
