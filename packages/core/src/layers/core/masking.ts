import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { maskSteps } from '@recurrent/kernels';
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
    return tf.tidy(() => this.masked(inputs).output);
  }

  override computeMask(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => this.masked(inputs).keep.cast('bool'));
  }

  /**
   * One pass of the 'MaskSteps' kernel: x with the masked steps zeroed, and keep (1 per kept step). The
   * same as x * any(x != maskValue, -1) without the broadcasting multiply, and differentiable in x.
   */
  private masked(inputs: Tensor | Tensor[]): { output: Tensor; keep: Tensor } {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const { output, keep } = maskSteps(x.dtype === 'float32' ? x : x.cast('float32'), this.maskValue);
      return { output: x.dtype === 'float32' ? output : output.cast(x.dtype), keep };
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

registerLayer(Masking);
