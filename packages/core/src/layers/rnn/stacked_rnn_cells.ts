import type { Layer, LayerArgs } from '../../engine/layer';
import { registerLayer, type SerializedLayer } from '../../engine/registry';
import { isShapeList, type Shape, type Tensor } from '../../engine/types';
import { resolveCell, RNNCell, serializeCell, type CellStepOptions, type SequenceContext } from './rnn_cell';

export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, bottom first (cells, or `{className, config}` when rebuilt from a config). */
  cells: (RNNCell | SerializedLayer)[];
}

/**
 * Several cells run as one (Keras StackedRNNCells): at each step the output of a cell is the input
 * of the next. Its states are every cell's states, concatenated in order (a flat list: an LSTMCell
 * then a GRUCell gives [h1, c1, h2]); its output is the last cell's output.
 */
export class StackedRNNCells extends RNNCell {
  static override className = 'StackedRNNCells';
  readonly cells: RNNCell[];

  constructor(args: StackedRNNCellsArgs) {
    if (!args || !Array.isArray(args.cells) || args.cells.length === 0) {
      throw new Error('StackedRNNCells: cells must be a non-empty list of recurrent cells.');
    }
    const { cells, ...layerArgs } = args;
    super(layerArgs);
    this.cells = cells.map((c, i) => resolveCell(c, `StackedRNNCells: cells[${i}]`));
  }

  override get childLayers(): Layer[] {
    return this.cells;
  }

  /** Every cell's state sizes, flattened in order. */
  get stateSize(): number[] {
    return this.cells.flatMap((cell) => cell.stateSizes);
  }

  override get outputSize(): number {
    return this.cells[this.cells.length - 1].outputSize;
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    for (const cell of this.cells) {
      cell.maybeBuild(shape);
      shape = [shape[0], cell.outputSize];
    }
  }

  override beginSequence(context: SequenceContext): void {
    let inputDim = context.inputDim;
    for (const cell of this.cells) {
      cell.beginSequence({ ...context, inputDim });
      inputDim = cell.outputSize;
    }
  }

  override endSequence(): void {
    for (const cell of this.cells) cell.endSequence();
  }

  override getInitialState(batchSize: number): Tensor[] {
    return this.cells.flatMap((cell) => cell.getInitialState(batchSize));
  }

  /** One step through every cell, each taking its own states from the flat list. */
  step(input: Tensor, states: Tensor[], options: CellStepOptions): [Tensor, Tensor[]] {
    let x = input;
    let offset = 0;
    const newStates: Tensor[] = [];
    for (const cell of this.cells) {
      const count = cell.stateSizes.length;
      const [output, cellStates] = cell.call(x, states.slice(offset, offset + count), options);
      newStates.push(...cellStates);
      offset += count;
      x = output;
    }
    return [x, newStates];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      cells: this.cells.map((c, i) => serializeCell(c, `${this.describe()}: cells[${i}]`)),
    };
  }
}

registerLayer(StackedRNNCells);
