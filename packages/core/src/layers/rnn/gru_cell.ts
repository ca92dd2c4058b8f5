import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { affine, GatedCell, gatedCellArgsSchema, type GateBlocks } from './builtin_cell';

export const gruCellArgsSchema = gatedCellArgsSchema.extend({
  resetAfter: z.boolean().optional(),
}).strict();
export type GRUCellArgs = z.input<typeof gruCellArgsSchema>;

/**
 * One GRU step (Keras GRUCell), gate blocks z, r, h; `h = z*h_prev + (1-z)*hh`.
 * - resetAfter (default, cuDNN-compatible): bias [2, 3U] (row 0 input side, row 1 recurrent side);
 *   `inner = (h_prev*rdm)·R + b_rec` and `hh = act(x_h + b_in_h + r*inner_h)`.
 * - resetAfter=false: bias [3U] on the input side; `hh = act(x_h + b_h + (r*(h_prev*rdm))·R_h)`.
 */
export class GRUCell extends GatedCell {
  static override className = 'GRUCell';
  readonly kind = 'gru' as const;
  protected readonly gates = 3;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs) {
    const a = parseLayerArgs('GRUCell', gruCellArgsSchema, args);
    super(a);
    this.resetAfter = a.resetAfter ?? true;
  }

  get stateSize(): number[] {
    return [this.units];
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected stepMath(input: Tensor, states: Tensor[], hDropped: Tensor, w: GateBlocks): [Tensor, Tensor[]] {
    const hPrev = states[0];
    const [xz, xr, xh] = [0, 1, 2].map((g) => affine(input, w.kernel[g], w.inputBias?.[g]));
    // resetAfter: the recurrent bias joins the recurrent products (inside the reset product for h).
    const [innerZ, innerR] = [0, 1].map((g) => affine(hDropped, w.recurrentKernel[g], w.recurrentBias?.[g]));
    const z = this.recurrentActivation.apply(tf.add(xz, innerZ));
    const r = this.recurrentActivation.apply(tf.add(xr, innerR));
    const recurrentH = this.resetAfter
      ? tf.mul(r, affine(hDropped, w.recurrentKernel[2], w.recurrentBias?.[2]))
      : tf.matMul(tf.mul(r, hDropped), w.recurrentKernel[2]);
    const hh = this.activation.apply(tf.add(xh, recurrentH));
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
    return [h, [h]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.commonConfig(),
      resetAfter: this.resetAfter,
    };
  }
}

registerLayer(GRUCell);
