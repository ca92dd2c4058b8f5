import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { affine, BuiltinCell, cellCommonArgsSchema, type GateBlocks } from './builtin_cell';

export const simpleRNNCellArgsSchema = cellCommonArgsSchema.strict();
export type SimpleRNNCellArgs = z.input<typeof simpleRNNCellArgsSchema>;

/**
 * One step of a fully connected recurrent layer (Keras SimpleRNNCell):
 * `h = activation((x*dropoutMask)·kernel + bias + (h_prev*recurrentDropoutMask)·recurrentKernel)`.
 * Its single state is its output.
 */
export class SimpleRNNCell extends BuiltinCell {
  static override className = 'SimpleRNNCell';
  readonly kind = 'simple_rnn' as const;
  protected readonly gates = 1;

  constructor(args: SimpleRNNCellArgs) {
    super(parseLayerArgs('SimpleRNNCell', simpleRNNCellArgsSchema, args));
  }

  get stateSize(): number[] {
    return [this.units];
  }

  protected stepMath(input: Tensor, _states: Tensor[], hDropped: Tensor, w: GateBlocks): [Tensor, Tensor[]] {
    const z = tf.add(affine(input, w.kernel[0], w.inputBias?.[0]), tf.matMul(hDropped, w.recurrentKernel[0]));
    const h = this.activation.apply(z);
    return [h, [h]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.commonConfig() };
  }
}

registerLayer(SimpleRNNCell);
