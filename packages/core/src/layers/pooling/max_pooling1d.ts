import * as tf from '@tensorflow/tfjs';
import { maxPool1d } from '@recurrent/kernels';
import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { windowOutputLength, windowPadding } from '../convolutional/conv_utils';
import { Pooling1D, pooling1DArgsSchema } from './pooling1d';

export const maxPooling1DArgsSchema = pooling1DArgsSchema;

export type MaxPooling1DArgs = z.input<typeof maxPooling1DArgsSchema>;

/**
 * Maximum over windows of `poolSize` steps (Keras MaxPooling1D). 'same' padding never wins a window,
 * as in TensorFlow. The gradient goes to the first maximum of each window (TensorFlow's MaxPoolGrad).
 * One op over the windows (`maxPool1d` of @recurrent/kernels), forward and backward.
 */
export class MaxPooling1D extends Pooling1D {
  static override className = 'MaxPooling1D';

  constructor(args: MaxPooling1DArgs = {}) {
    super(parseLayerArgs('MaxPooling1D', maxPooling1DArgsSchema, args));
  }

  protected pool(x: Tensor): Tensor {
    const length = x.shape[1] as number;
    return maxPool1d(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), {
      poolSize: this.poolSize,
      strides: this.strides,
      padBefore: windowPadding(length, this.window)[0],
      outLength: windowOutputLength(length, this.window) as number,
      context: this.describe(),
    });
  }
}

registerLayer(MaxPooling1D, 'MaxPool1D');
