import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import { cellConfigForLayer, splitRecurrentArgs } from './builtin_layer_args';
import { GRUCell } from './gru_cell';
import { gatedCellArgsSchema, rnnLayerArgsShape } from './recurrent_args';
import { GatedRNNLayer } from './builtin_rnn_layer';

export const gruArgsSchema = gatedCellArgsSchema.extend({
  resetAfter: z.boolean().optional(),
  ...rnnLayerArgsShape,
}).strict();
export type GRUArgs = z.input<typeof gruArgsSchema>;

/** Gated Recurrent Unit layer (Keras GRU; resetAfter defaults to true, with a [2, 3U] bias). */
export class GRU extends GatedRNNLayer<GRUCell> {
  static override className = 'GRU';

  constructor(args: GRUArgs) {
    const a = parseLayerArgs('GRU', gruArgsSchema, args);
    const { layerArgs, cellArgs } = splitRecurrentArgs(a, 'gru');
    super({ ...layerArgs, cell: new GRUCell(cellArgs) });
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }

  /** Keras's GRU config: the RNN keys plus the cell's (with `seed` and `resetAfter`). */
  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), ...cellConfigForLayer(this.cell.getConfig()) };
  }
}

registerLayer(GRU);
