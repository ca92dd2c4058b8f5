import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { builtinLayerArgsSchema, builtinRNNArgs, BuiltinRNNLayer } from './builtin_rnn_layer';
import { SimpleRNNCell, simpleRNNCellArgsSchema } from './simple_rnn_cell';

export const simpleRNNArgsSchema = builtinLayerArgsSchema(simpleRNNCellArgsSchema);
export type SimpleRNNArgs = z.input<typeof simpleRNNArgsSchema>;

/** Fully connected recurrent layer (Keras SimpleRNN): `h_t = activation(x_t·W + h_{t-1}·U + b)`. */
export class SimpleRNN extends BuiltinRNNLayer<SimpleRNNCell> {
  static override className = 'SimpleRNN';

  constructor(args: SimpleRNNArgs) {
    super(builtinRNNArgs('SimpleRNN', simpleRNNArgsSchema, simpleRNNCellArgsSchema, (a) => new SimpleRNNCell(a), args));
  }

  /** Keras's SimpleRNN config leaves `seed` out. */
  override getConfig(): Record<string, unknown> {
    return this.layerConfigWithCell(['seed']);
  }
}

registerLayer(SimpleRNN);
