import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import { cellConfigForLayer, splitRecurrentArgs } from './builtin_layer_args';
import { cellCommonArgsSchema, rnnLayerArgsShape } from './recurrent_args';
import { BuiltinRNNLayer } from './builtin_rnn_layer';
import { SimpleRNNCell } from './simple_rnn_cell';

export const simpleRNNArgsSchema = cellCommonArgsSchema.extend(rnnLayerArgsShape).strict();
export type SimpleRNNArgs = z.input<typeof simpleRNNArgsSchema>;

/** Fully connected recurrent layer (Keras SimpleRNN): `h_t = activation(x_t·W + h_{t-1}·U + b)`. */
export class SimpleRNN extends BuiltinRNNLayer<SimpleRNNCell> {
  static override className = 'SimpleRNN';

  constructor(args: SimpleRNNArgs) {
    const a = parseLayerArgs('SimpleRNN', simpleRNNArgsSchema, args);
    const { layerArgs, cellArgs } = splitRecurrentArgs(a, 'simple_rnn');
    super({ ...layerArgs, cell: new SimpleRNNCell(cellArgs) });
  }


  /** Keras's SimpleRNN config: the RNN keys plus the cell's, without `seed` (Keras leaves it out). */
  override getConfig(): Record<string, unknown> {
    const { seed, ...cellConfig } = cellConfigForLayer(this.cell.getConfig());
    void seed;
    return { ...this.rnnConfig(), ...cellConfig };
  }
}

registerLayer(SimpleRNN);
