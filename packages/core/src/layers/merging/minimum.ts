import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { ElementwiseMerge, mergeSkippingMasked } from './merge';

export const minimumArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type MinimumArgs = z.input<typeof minimumArgsSchema>;

/** Elementwise minimum of a list of tensors; masked steps of an input do not take part (Keras 3). */
export class Minimum extends ElementwiseMerge {
  static override className = 'Minimum';

  constructor(args: MinimumArgs = {}) {
    super(parseLayerArgs('Minimum', minimumArgsSchema, args));
  }

  protected mergeFunction(xs: Tensor[], masks: (Tensor | null)[]): Tensor {
    return mergeSkippingMasked(xs, masks, tf.minimum, this.describe());
  }
}

registerLayer(Minimum);
