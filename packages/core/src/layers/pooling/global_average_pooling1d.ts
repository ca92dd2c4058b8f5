import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { GlobalPooling1D, globalPooling1DArgsSchema } from './global_pooling1d';

export const globalAveragePooling1DArgsSchema = globalPooling1DArgsSchema;

export type GlobalAveragePooling1DArgs = z.input<typeof globalAveragePooling1DArgsSchema>;

/**
 * Mean over time. With a mask, the mean over the unmasked steps only (so padding does not dilute it).
 * A row whose steps are all masked gives 0 (Keras divides by zero there and gives NaN).
 */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  static override className = 'GlobalAveragePooling1D';

  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(parseLayerArgs('GlobalAveragePooling1D', globalAveragePooling1DArgsSchema, args));
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    return tf.tidy(() => {
      if (!mask) return tf.mean(x, this.stepsAxis, this.keepdims);
      const m = this.maskFor(mask, x);
      const total = tf.sum(x.mul(m), this.stepsAxis, this.keepdims);
      const count = tf.sum(m, this.stepsAxis, this.keepdims);
      return total.div(tf.maximum(count, 1));
    });
  }
}

registerLayer(GlobalAveragePooling1D, 'GlobalAvgPool1D');
