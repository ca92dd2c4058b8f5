import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, finiteNumber, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';

export const maskingArgsSchema = baseLayerArgsSchema.extend({
  maskValue: finiteNumber().optional(),
}).strict();

export type MaskingArgs = z.input<typeof maskingArgsSchema>;

/**
 * Masks the timesteps whose features all equal `maskValue`: emits mask = any(x != maskValue, -1)
 * and zeroes the masked steps, as Keras does.
 */
export class Masking extends Layer {
  static override className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    const a = parseLayerArgs('Masking', maskingArgsSchema, args);
    super(a);
    this.maskValue = a.maskValue ?? 0;
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const keep = tf.any(tf.notEqual(x, this.maskValue), -1, true);
      return x.mul(keep.cast(x.dtype));
    });
  }

  override computeMask(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.any(tf.notEqual(x, this.maskValue), -1));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

registerLayer(Masking);
