import { z } from 'zod';
import type { ActivationFn } from '../../activations/activations';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import { cellConfigForLayer, splitRecurrentArgs } from './builtin_layer_args';
import { LSTMCell } from './lstm_cell';
import { gatedCellArgsSchema, rnnLayerArgsShape } from './recurrent_args';
import { RNN } from './rnn';

export const lstmArgsSchema = gatedCellArgsSchema.extend({
  unitForgetBias: z.boolean().optional(),
  ...rnnLayerArgsShape,
}).strict();
export type LSTMArgs = z.input<typeof lstmArgsSchema>;

/** Long Short-Term Memory layer (Keras LSTM); with returnState it returns [output, h, c]. */
export class LSTM extends RNN {
  static override className = 'LSTM';
  declare cell: LSTMCell;

  constructor(args: LSTMArgs) {
    const a = parseLayerArgs('LSTM', lstmArgsSchema, args);
    const { layerArgs, cellArgs } = splitRecurrentArgs(a, 'lstm');
    super({ ...layerArgs, cell: new LSTMCell(cellArgs) });
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): ActivationFn {
    return this.cell.activation;
  }
  get recurrentActivation(): ActivationFn {
    return this.cell.recurrentActivation;
  }
  get useBias(): boolean {
    return this.cell.useBias;
  }
  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }

  /** Keras's LSTM config: the RNN keys plus the cell's (with `seed`). */
  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), ...cellConfigForLayer(this.cell.getConfig()) };
  }
}

registerLayer(LSTM);
