/**
 * What SimpleRNN, LSTM and GRU share beyond RNN: one schema made of their cell's and the RNN layer's,
 * validated once, where the layer is constructed, and split between the two by those schemas' keys;
 * one config made of both; and read-only views of the cell's arguments, as Keras exposes them on the
 * layer (`layer.units`, `layer.dropout`, ...).
 */
import type { z } from 'zod';
import type { ActivationFn } from '../../activations/activations';
import { toSnakeCase } from '../../config/case_conversion';
import { uniqueName } from '../../engine/names';
import { baseLayerArgsSchema, parseLayerArgs, pickValidatedArgs } from '../../engine/schema_parts';
import type { BuiltinCell, GatedCell } from './builtin_cell';
import { RNN, rnnArgsSchema, rnnOptionsShape, type RNNArgs } from './rnn';

type CellSchema = z.ZodObject<z.ZodRawShape>;

/** A built-in layer's schema: the base layer's arguments, its cell's, then the RNN layer's. */
export function builtinLayerArgsSchema<Shape extends z.ZodRawShape>(cellSchema: z.ZodObject<Shape>) {
  // Typed by the cell's shape (not a generic schema), so that a misspelled argument is a type error.
  return baseLayerArgsSchema.extend(cellSchema.shape).extend(rnnOptionsShape).strict();
}

/**
 * Validates a built-in layer's arguments and makes its cell, returning the RNN arguments with that
 * cell. The cell takes the keys its schema declares, the layer the keys RNN's schema declares; both
 * share the layer's name, so the weights are `<layer>/kernel`, `<layer>/recurrent_kernel`,
 * `<layer>/bias` (the tfjs / Keras 2 weight names). The name is drawn here, Keras-style (`lstm`,
 * `lstm_1`, ...), because the cell is created before the layer.
 */
export function builtinRNNArgs<S extends CellSchema, C extends BuiltinCell>(
  className: string,
  layerSchema: CellSchema,
  cellSchema: S,
  makeCell: (args: z.output<S>) => C,
  args: unknown,
): RNNArgs & { cell: C } {
  const a = parseLayerArgs(className, layerSchema, args) as Record<string, unknown>;
  const name = typeof a.name === 'string' ? a.name : uniqueName(toSnakeCase(className));
  const cell = makeCell(pickValidatedArgs(a, layerSchema, cellSchema, { name }));
  return pickValidatedArgs(a, layerSchema, rnnArgsSchema, { name, cell }) as RNNArgs & { cell: C };
}

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

  /**
   * Keras's config of SimpleRNN / LSTM / GRU: the RNN keys, then the cell's arguments (the layer's
   * own name, trainable flag and dtype stand for the cell's), without the keys in `omit`.
   */
  protected layerConfigWithCell(omit: readonly string[] = []): Record<string, unknown> {
    const config = this.rnnConfig();
    for (const [key, value] of Object.entries(this.cell.getConfig())) {
      if (!(key in config) && !omit.includes(key)) config[key] = value;
    }
    return config;
  }

  override getConfig(): Record<string, unknown> {
    return this.layerConfigWithCell();
  }
}

/** LSTM and GRU: a gated cell, which also has a recurrent (gate) activation. */
export abstract class GatedRNNLayer<C extends GatedCell> extends BuiltinRNNLayer<C> {
  get recurrentActivation(): ActivationFn {
    return this.cell.recurrentActivation;
  }
}
