import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { Pooling1D, pooling1DArgsSchema } from './pooling1d';

export const maxPooling1DArgsSchema = pooling1DArgsSchema;

export type MaxPooling1DArgs = z.input<typeof maxPooling1DArgsSchema>;

/**
 * Maximum over windows of `poolSize` steps (Keras MaxPooling1D). 'same' padding never wins a window,
 * as in TensorFlow. The gradient goes to the first maximum of each window (TensorFlow's MaxPoolGrad):
 * the taps are combined by pairwise maxima, whose gradient favours the earlier operand on ties.
 */
export class MaxPooling1D extends Pooling1D {
  static override className = 'MaxPooling1D';

  constructor(args: MaxPooling1DArgs = {}) {
    super(parseLayerArgs('MaxPooling1D', maxPooling1DArgsSchema, args));
  }

  protected pool(x: Tensor): Tensor {
    const taps = this.taps(x, -Infinity);
    return taps.slice(1).reduce((max, tap) => tf.maximum(max, tap), taps[0]);
  }
}

registerLayer(MaxPooling1D, 'MaxPool1D');
