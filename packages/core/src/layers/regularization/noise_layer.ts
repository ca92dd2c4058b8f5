import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import type { baseLayerArgsSchema } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { DropoutSeedStream } from '../rnn/dropout_masks';

/**
 * Base of GaussianNoise and GaussianDropout: random in training (new noise every call, from a stream
 * seeded once by `seed`, else by the global seed), the identity otherwise. The mask passes through.
 */
export abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  private readonly seeds: DropoutSeedStream;

  constructor(args: z.output<typeof baseLayerArgsSchema> & { seed?: number | null }) {
    super(args);
    this.seed = args.seed ?? null;
    this.seeds = new DropoutSeedStream(this.seed);
    this.supportsMasking = true;
  }

  /** Whether the layer changes anything when training (false for a zero noise level). */
  protected abstract get active(): boolean;

  /** The noisy x, drawn with `seed`. */
  protected abstract addNoise(x: Tensor, seed: number): Tensor;

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || !this.active) return x;
    const seed = this.seeds.next();
    return tf.tidy(() => this.addNoise(x, seed));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed };
  }
}
