import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { GlobalPooling1D, globalPooling1DArgsSchema } from './global_pooling1d';

export const globalMaxPooling1DArgsSchema = globalPooling1DArgsSchema;

export type GlobalMaxPooling1DArgs = z.input<typeof globalMaxPooling1DArgsSchema>;

/**
 * Maximum over time. With a mask, masked steps are ignored (Keras 3 ignores the mask here, so padding
 * can win the max); a row whose steps are all masked gives 0.
 */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  static override className = 'GlobalMaxPooling1D';

  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(parseLayerArgs('GlobalMaxPooling1D', globalMaxPooling1DArgsSchema, args));
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    return tf.tidy(() => {
      if (!mask) return tf.max(x, this.stepsAxis, this.keepdims);
      const keep = tf.logicalOr(this.maskFor(mask, x).cast('bool'), tf.zerosLike(x).cast('bool'));
      const lowest = tf.fill(x.shape, -3.4e38, x.dtype);
      const pooled = tf.max(tf.where(keep, x, lowest), this.stepsAxis, this.keepdims);
      const any = tf.any(keep, this.stepsAxis, this.keepdims);
      return tf.where(any, pooled, tf.zerosLike(pooled));
    });
  }
}

registerLayer(GlobalMaxPooling1D, 'GlobalMaxPool1D');
