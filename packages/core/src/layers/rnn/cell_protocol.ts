import type * as tf from '@tensorflow/tfjs';
import type { AddWeightOptions } from '../../engine/layer';
import type { Shape, Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';

/** Options the RNN layer passes to a cell at every step. */
export interface CellStepOptions {
  training?: boolean;
}

/**
 * Declares a weight owned by the RNN layer that drives the cell, named `<layer>/<name>`; the layer
 * saves it, trains it and counts it. Handed to a plain (non-Layer) cell's `build`.
 */
export type CellWeightFactory = (name: string, shape: number[], options?: AddWeightOptions) => LayerVariable;

/** What the RNN layer tells a cell before a sequence. */
export interface SequenceContext {
  training: boolean;
  batchSize: number;
  /** Width of the step input. */
  inputDim: number;
  /** True when the layer will call the cell step by step (false: the fused kernel runs the sequence). */
  stepByStep?: boolean;
}

/**
 * The recurrent cell protocol (Keras's): one step's math plus the sizes of its states. Built-in
 * cells (SimpleRNNCell, LSTMCell, GRUCell), StackedRNNCells and user-written cells all follow it.
 * A user cell may be a plain object or a class instance:
 *
 *   const cell: RecurrentCell = {
 *     stateSize: 8,
 *     build(inputShape, addWeight) { kernel = addWeight('kernel', [inputShape[1]!, 8]); ... },
 *     call(x, [h]) { const next = tf.tanh(...); return [next, [next]]; },
 *   };
 */
export interface RecurrentCell {
  /** One size per state (a single number for one state); the first state has the output's size unless outputSize says otherwise. */
  readonly stateSize: number | number[];
  /** Size of the step output; defaults to the first state size. */
  readonly outputSize?: number;
  /**
   * One step: input [batch, features] and the states after the previous step, returning the step's
   * output and the new states (a single tensor is accepted for a single state).
   */
  call(input: Tensor, states: Tensor[], options: CellStepOptions): [Tensor, Tensor[] | Tensor];
  /** Creates the cell's weights for a step input shape [batch, features]; called once. */
  build?(inputShape: Shape, addWeight: CellWeightFactory): void;
  built?: boolean;
  /** Initial states for a batch; zeros when absent. */
  getInitialState?(batchSize: number): Tensor[];
  /** Variables the cell created itself (tf.variable); the RNN layer exposes them as its weights. */
  readonly trainableWeights?: ReadonlyArray<tf.Variable | LayerVariable>;
  readonly nonTrainableWeights?: ReadonlyArray<tf.Variable | LayerVariable>;
  /** Called before and after every sequence, so a cell can fix per-sequence state such as dropout masks. */
  beginSequence?(context: SequenceContext): void;
  endSequence?(): void;
}

/** The state sizes of a cell as a list. */
export function cellStateSizes(cell: RecurrentCell): number[] {
  const size = cell.stateSize;
  const sizes = typeof size === 'number' ? [size] : Array.isArray(size) ? [...size] : null;
  if (!sizes || sizes.length === 0 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(
      `RNN cell: stateSize must be a positive integer or a non-empty list of positive integers (one per state), ` +
        `got ${JSON.stringify(size)}.`,
    );
  }
  return sizes;
}

/** The size of a cell's step output: outputSize, else the first state size. */
export function cellOutputSize(cell: RecurrentCell): number {
  if (cell.outputSize !== undefined && cell.outputSize !== null) {
    if (!Number.isInteger(cell.outputSize) || cell.outputSize <= 0) {
      throw new Error(`RNN cell: outputSize must be a positive integer, got ${JSON.stringify(cell.outputSize)}.`);
    }
    return cell.outputSize;
  }
  return cellStateSizes(cell)[0];
}

/** Checks that an object can serve as a cell, with an error naming what is missing. */
export function assertRecurrentCell(cell: unknown, where: string): asserts cell is RecurrentCell {
  if (cell === null || typeof cell !== 'object') {
    throw new Error(`${where}: expected a recurrent cell (an object with stateSize and call(input, states, options)), got ${cell === null ? 'null' : typeof cell}.`);
  }
  const candidate = cell as Partial<RecurrentCell>;
  if (typeof candidate.call !== 'function') {
    throw new Error(`${where}: the cell has no call(input, states, options) method; a cell computes one step and returns [output, newStates].`);
  }
  if (candidate.stateSize === undefined) {
    throw new Error(`${where}: the cell has no stateSize; give it a number (one state) or a list of numbers (one per state).`);
  }
  cellStateSizes(candidate as RecurrentCell);
}
