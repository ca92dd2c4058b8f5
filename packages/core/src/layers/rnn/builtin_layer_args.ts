import { uniqueName } from '../../engine/names';
import type { RNNOptions } from './rnn';

/** Keys that belong to the RNN layer rather than to its cell. */
const LAYER_ONLY_KEYS = [
  'inputShape', 'batchInputShape', 'batchSize', 'activityRegularizer',
  'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask', 'useFused',
] as const;

/**
 * Splits the validated arguments of SimpleRNN / LSTM / GRU into the layer's and the cell's. The cell
 * gets the layer's name, so its weights are `<layer>/kernel`, `<layer>/recurrent_kernel`,
 * `<layer>/bias` (the tfjs / Keras 2 weight names); the name is drawn here, Keras-style
 * (`lstm`, `lstm_1`, ...), because the cell is created before the layer.
 */
export function splitRecurrentArgs<A extends { name?: string; trainable?: boolean; dtype?: 'float32' | 'int32' | null }>(
  args: A,
  defaultPrefix: string,
): { layerArgs: RNNOptions; cellArgs: Omit<A, (typeof LAYER_ONLY_KEYS)[number]> } {
  const name = args.name ?? uniqueName(defaultPrefix);
  const layerArgs: Record<string, unknown> = { name, trainable: args.trainable, dtype: args.dtype };
  const cellArgs: Record<string, unknown> = { ...args, name };
  for (const key of LAYER_ONLY_KEYS) {
    if (key in args) layerArgs[key] = (args as Record<string, unknown>)[key];
    delete cellArgs[key];
  }
  for (const key of Object.keys(layerArgs)) if (layerArgs[key] === undefined) delete layerArgs[key];
  for (const key of Object.keys(cellArgs)) if (cellArgs[key] === undefined) delete cellArgs[key];
  return { layerArgs: layerArgs as RNNOptions, cellArgs: cellArgs as Omit<A, (typeof LAYER_ONLY_KEYS)[number]> };
}

/** A cell's config without the keys the layer reports itself (name, trainable, dtype). */
export function cellConfigForLayer(cellConfig: Record<string, unknown>): Record<string, unknown> {
  const { name, trainable, dtype, ...rest } = cellConfig;
  void name;
  void trainable;
  void dtype;
  return rest;
}
