import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import { cellConfigForLayer, splitRecurrentArgs } from './builtin_layer_args';
import { LSTMCell } from './lstm_cell';
import { gatedCellArgsSchema, rnnLayerArgsShape } from './recurrent_args';
import { GatedRNNLayer } from './builtin_rnn_layer';

export const lstmArgsSchema = gatedCellArgsSchema.extend({
  unitForgetBias: z.boolean().optional(),
  ...rnnLayerArgsShape,
}).strict();
export type LSTMArgs = z.input<typeof lstmArgsSchema>;

/** Long Short-Term Memory layer (Keras LSTM); with returnState it returns [output, h, c]. */
export class LSTM extends GatedRNNLayer<LSTMCell> {
  static override className = 'LSTM';

  constructor(args: LSTMArgs) {
    const a = parseLayerArgs('LSTM', lstmArgsSchema, args);
    const { layerArgs, cellArgs } = splitRecurrentArgs(a, 'lstm');
    super({ ...layerArgs, cell: new LSTMCell(cellArgs) });
  }

  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }

  /** Keras's LSTM config: the RNN keys plus the cell's (with `seed`). */
  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), ...cellConfigForLayer(this.cell.getConfig()) };
  }
}

registerLayer(LSTM);
