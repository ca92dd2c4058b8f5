import * as tf from '@tensorflow/tfjs';
import { Layer, type CallKwargs, type LayerArgs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { isShapeList, type Shape, type Tensor } from '../../engine/types';
import { cellOutputSize, cellStateSizes, type CellStepOptions, type RecurrentCell, type SequenceContext } from './cell_protocol';
import { buildCellOnce, hostForCell, resolveCell, serializeCell, stepCell, type SerializedLayer } from './cell_utils';

export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, bottom first (objects, or `{className, config}` when rebuilt from a config). */
  cells: (RecurrentCell | SerializedLayer)[];
}

/**
 * Several cells run as one (Keras StackedRNNCells): at each step the output of a cell is the input
 * of the next. Its states are every cell's states, concatenated in order (a flat list: an LSTMCell
 * then a GRUCell gives [h1, c1, h2]); its output is the last cell's output.
 */
export class StackedRNNCells extends Layer {
  static override className = 'StackedRNNCells';
  readonly cells: RecurrentCell[];
  private readonly hosts: Layer[];

  constructor(args: StackedRNNCellsArgs) {
    if (!args || !Array.isArray(args.cells) || args.cells.length === 0) {
      throw new Error('StackedRNNCells: cells must be a non-empty list of recurrent cells.');
    }
    const { cells, ...layerArgs } = args;
    super(layerArgs);
    this.cells = cells.map((c, i) => resolveCell(c, `StackedRNNCells: cells[${i}]`));
    this.hosts = this.cells.map((c, i) => hostForCell(c, `${this.name}/cell_${i}`));
  }

  override get childLayers(): Layer[] {
    return this.hosts;
  }

  /** Every cell's state sizes, flattened in order. */
  get stateSize(): number[] {
    return this.cells.flatMap(cellStateSizes);
  }

  get outputSize(): number {
    return cellOutputSize(this.cells[this.cells.length - 1]);
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    this.cells.forEach((cell, i) => {
      buildCellOnce(this.hosts[i], shape);
      shape = [shape[0], cellOutputSize(cell)];
    });
  }

  beginSequence(context: SequenceContext): void {
    let inputDim = context.inputDim;
    for (const cell of this.cells) {
      cell.beginSequence?.({ ...context, inputDim });
      inputDim = cellOutputSize(cell);
    }
  }

  endSequence(): void {
    for (const cell of this.cells) cell.endSequence?.();
  }

  getInitialState(batchSize: number): Tensor[] {
    return this.cells.flatMap((cell) =>
      cell.getInitialState ? cell.getInitialState(batchSize) : cellStateSizes(cell).map((s) => tf.zeros([batchSize, s])));
  }

  /** Layer convention: `apply([input, ...states])` returns `[output, ...newStates]`. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[];
  /** Cell convention: one step through every cell, returning `[output, newStates]`. */
  override call(input: Tensor, states: Tensor[], options?: boolean | CellStepOptions): [Tensor, Tensor[]];
  override call(first: Tensor | Tensor[], second: CallKwargs | Tensor[], third?: boolean | CellStepOptions): Tensor | Tensor[] | [Tensor, Tensor[]] {
    if (Array.isArray(second)) {
      const training = typeof third === 'boolean' ? third : third?.training === true;
      return this.step(first as Tensor, second, training);
    }
    const list = Array.isArray(first) ? first : [first];
    const [input, ...given] = list;
    const states = given.length > 0 ? given : this.getInitialState(input.shape[0]);
    const [output, newStates] = this.step(input, states, (second as CallKwargs)?.training === true);
    return [output, ...newStates];
  }

  private step(input: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]] {
    const expected = this.stateSize.length;
    if (states.length !== expected) {
      throw new Error(`${this.describe()}: expected ${expected} state tensors (every cell's states in order), got ${states.length}.`);
    }
    let x = input;
    let offset = 0;
    const newStates: Tensor[] = [];
    this.cells.forEach((cell, i) => {
      const count = cellStateSizes(cell).length;
      const [output, cellStates] = stepCell(cell, x, states.slice(offset, offset + count), training, `${this.describe()}: cell ${i}`);
      newStates.push(...cellStates);
      offset += count;
      x = output;
    });
    return [x, newStates];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const batch = shape[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((s) => [batch, s])];
  }

  override computeMask(): null {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      cells: this.cells.map((c, i) => serializeCell(c, `${this.describe()}: cells[${i}]`)),
    };
  }
}

registerLayer(StackedRNNCells);
