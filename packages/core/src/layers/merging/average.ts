import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { ElementwiseMerge } from './merge';

export const averageArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type AverageArgs = z.input<typeof averageArgsSchema>;

/** Elementwise mean of a list of tensors (masks do not enter the mean, as in Keras). */
export class Average extends ElementwiseMerge {
  static override className = 'Average';

  constructor(args: AverageArgs = {}) {
    super(parseLayerArgs('Average', averageArgsSchema, args));
  }

  protected mergeFunction(xs: Tensor[]): Tensor {
    return tf.div(xs.slice(1).reduce((sum, x) => tf.add(sum, x), xs[0]), xs.length);
  }
}

registerLayer(Average);
