import { Layer } from '../../engine/layer';
import { getLayerClass } from '../../engine/registry';
import type { Shape, Tensor } from '../../engine/types';
import { assertRecurrentCell, type RecurrentCell } from './cell_protocol';
import { PlainCellHost } from './plain_cell_host';

/** A serialized layer or cell: `{className, config}`. */
export interface SerializedLayer {
  className: string;
  config: Record<string, unknown>;
}

export function isSerializedLayer(x: unknown): x is SerializedLayer {
  return x !== null && typeof x === 'object' && typeof (x as SerializedLayer).className === 'string'
    && typeof (x as SerializedLayer).config === 'object' && typeof (x as { call?: unknown }).call !== 'function';
}

/** `{className, config}` of a cell; only registered Layer cells can be written to a config. */
export function serializeCell(cell: RecurrentCell, where: string): SerializedLayer {
  if (cell instanceof Layer && getLayerClass(cell.className) === cell.constructor) {
    return { className: cell.className, config: cell.getConfig() };
  }
  throw new Error(
    `${where}: serializing this cell is not supported: only registered Layer cells (SimpleRNNCell, LSTMCell, GRUCell, ` +
      'StackedRNNCells, or a Layer subclass passed to registerLayer) can be written to a config.',
  );
}

/** Rebuilds a cell from `{className, config}` through the layer registry; cell objects pass through. */
export function resolveCell(cell: unknown, where: string): RecurrentCell {
  if (isSerializedLayer(cell)) {
    const cls = getLayerClass(cell.className);
    if (!cls) {
      throw new Error(`${where}: unknown cell class ${JSON.stringify(cell.className)}; register it with registerLayer before loading the config.`);
    }
    const built = cls.fromConfig({ ...cell.config }) as unknown;
    assertRecurrentCell(built, `${where} (cell ${cell.className})`);
    return built;
  }
  assertRecurrentCell(cell, where);
  return cell;
}

/** The Layer that owns a cell's weights: the cell itself when it is a Layer, else a host named `name`. */
export function hostForCell(cell: RecurrentCell, name: string): Layer {
  return cell instanceof Layer ? cell : new PlainCellHost(cell, name);
}

/** Builds a cell (through its host) for a step input shape, once. */
export function buildCellOnce(host: Layer, stepShape: Shape): void {
  if (host.built) return;
  host.build(stepShape);
  host.built = true;
}

/** Calls one step of a cell and normalizes its answer to `[output, states[]]`, checking its form. */
export function stepCell(cell: RecurrentCell, input: Tensor, states: Tensor[], training: boolean, where: string): [Tensor, Tensor[]] {
  const result = cell.call(input, states, { training }) as unknown;
  if (!Array.isArray(result) || result.length !== 2) {
    throw new Error(`${where}: a cell's call must return [output, newStates], got ${Array.isArray(result) ? `an array of ${result.length}` : typeof result}.`);
  }
  const [output, newStates] = result as [Tensor, Tensor | Tensor[]];
  return [output, Array.isArray(newStates) ? newStates : [newStates]];
}
