import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { ElementwiseMerge, maskLike } from './merge';

export const multiplyArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type MultiplyArgs = z.input<typeof multiplyArgsSchema>;

/**
 * Elementwise product of a list of tensors. As in Keras 3, a masked entry of an input counts as 1;
 * when every input has a mask, entries masked in all inputs come out 0.
 */
export class Multiply extends ElementwiseMerge {
  static override className = 'Multiply';

  constructor(args: MultiplyArgs = {}) {
    super(parseLayerArgs('Multiply', multiplyArgsSchema, args));
  }

  protected mergeFunction(xs: Tensor[], masks: (Tensor | null)[]): Tensor {
    const everyMasked = masks.every((m) => m !== null);
    const factors: Tensor[] = [];
    let outputMask: Tensor | null = null;
    for (let i = 0; i < xs.length; i++) {
      const mask = masks[i];
      if (!mask) {
        factors.push(xs[i]);
        continue;
      }
      const m = maskLike(mask, xs[i], this.describe());
      factors.push(tf.where(m, xs[i], tf.onesLike(xs[i])));
      if (everyMasked) outputMask = outputMask ? tf.logicalOr(outputMask, m) : m;
    }
    const product = factors.slice(1).reduce((acc, x) => tf.mul(acc, x), factors[0]);
    return outputMask ? tf.where(outputMask, product, tf.zerosLike(product)) : product;
  }
}

registerLayer(Multiply);
