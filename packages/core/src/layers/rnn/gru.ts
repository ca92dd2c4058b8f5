import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { builtinLayerArgsSchema, builtinRNNArgs, GatedRNNLayer } from './builtin_rnn_layer';
import { GRUCell, gruCellArgsSchema } from './gru_cell';

export const gruArgsSchema = builtinLayerArgsSchema(gruCellArgsSchema);
export type GRUArgs = z.input<typeof gruArgsSchema>;

/** Gated Recurrent Unit layer (Keras GRU; resetAfter defaults to true, with a [2, 3U] bias). */
export class GRU extends GatedRNNLayer<GRUCell> {
  static override className = 'GRU';

  constructor(args: GRUArgs) {
    super(builtinRNNArgs('GRU', gruArgsSchema, gruCellArgsSchema, (a) => new GRUCell(a), args));
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }
}

registerLayer(GRU);
