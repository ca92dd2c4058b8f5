import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { ElementwiseMerge } from './merge';

export const addArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type AddArgs = z.input<typeof addArgsSchema>;

/** Elementwise sum of a list of tensors of the same (or broadcastable) shape. */
export class Add extends ElementwiseMerge {
  static override className = 'Add';

  constructor(args: AddArgs = {}) {
    super(parseLayerArgs('Add', addArgsSchema, args));
  }

  protected mergeFunction(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((sum, x) => tf.add(sum, x), xs[0]);
  }
}

registerLayer(Add);
