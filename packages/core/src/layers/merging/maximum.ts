import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { ElementwiseMerge, mergeSkippingMasked } from './merge';

export const maximumArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type MaximumArgs = z.input<typeof maximumArgsSchema>;

/** Elementwise maximum of a list of tensors; masked steps of an input do not take part (Keras 3). */
export class Maximum extends ElementwiseMerge {
  static override className = 'Maximum';

  constructor(args: MaximumArgs = {}) {
    super(parseLayerArgs('Maximum', maximumArgsSchema, args));
  }

  protected mergeFunction(xs: Tensor[], masks: (Tensor | null)[]): Tensor {
    return mergeSkippingMasked(xs, masks, tf.maximum, this.describe());
  }
}

registerLayer(Maximum);
