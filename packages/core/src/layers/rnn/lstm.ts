import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { builtinLayerArgsSchema, builtinRNNArgs, GatedRNNLayer } from './builtin_rnn_layer';
import { LSTMCell, lstmCellArgsSchema } from './lstm_cell';

export const lstmArgsSchema = builtinLayerArgsSchema(lstmCellArgsSchema);
export type LSTMArgs = z.input<typeof lstmArgsSchema>;

/** Long Short-Term Memory layer (Keras LSTM); with returnState it returns [output, h, c]. */
export class LSTM extends GatedRNNLayer<LSTMCell> {
  static override className = 'LSTM';

  constructor(args: LSTMArgs) {
    super(builtinRNNArgs('LSTM', lstmArgsSchema, lstmCellArgsSchema, (a) => new LSTMCell(a), args));
  }

  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }
}

registerLayer(LSTM);
