/**
 * What SimpleRNN, LSTM and GRU share beyond RNN: read-only views of their cell's arguments, as
 * Keras exposes them on the layer (`layer.units`, `layer.dropout`, ...).
 */
import type { ActivationFn } from '../../activations/activations';
import type { BuiltinCell } from './cell_base';
import { RNN } from './rnn';

export abstract class BuiltinRNNLayer<C extends BuiltinCell> extends RNN {
  declare cell: C;

  get units(): number {
    return this.cell.units;
  }
  get activation(): ActivationFn {
    return this.cell.activation;
  }
  get useBias(): boolean {
    return this.cell.useBias;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }
}

/** LSTM and GRU: a gated cell, which also has a recurrent (gate) activation. */
export abstract class GatedRNNLayer<C extends BuiltinCell & { recurrentActivation: ActivationFn }> extends BuiltinRNNLayer<C> {
  get recurrentActivation(): ActivationFn {
    return this.cell.recurrentActivation;
  }
}
