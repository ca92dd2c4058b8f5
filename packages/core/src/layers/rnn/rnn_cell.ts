import * as tf from '@tensorflow/tfjs';
import { Layer, type CallKwargs } from '../../engine/layer';
import { deserializeLayer, getLayerClass, isSerializedLayer, type SerializedLayer } from '../../engine/registry';
import { isShapeList, type Shape, type Tensor } from '../../engine/types';

/** Options the RNN layer passes to a cell at every step. */
export interface CellStepOptions {
  training?: boolean;
}

/** What the RNN layer tells a cell before a sequence. */
export interface SequenceContext {
  training: boolean;
  batchSize: number;
  /** Width of the step input. */
  inputDim: number;
  /** True when the layer will call the cell step by step (false: the fused kernel runs the sequence). */
  stepByStep?: boolean;
}

/** Training flag from either call convention: `call(x, states, true)` or `call(x, states, { training: true })`. */
function trainingFlag(option: boolean | CellStepOptions | undefined): boolean {
  if (typeof option === 'boolean') return option;
  return option?.training === true;
}

/**
 * A recurrent cell: a Layer that computes one step (Keras's cell contract, as in Keras 3 a cell is a
 * layer). SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells are cells; a cell of your own
 * declares `stateSize`, creates its weights in `build(stepInputShape)` with `addWeight` (so the RNN
 * layer lists, trains, saves and counts them), and implements `step`:
 *
 *   class MinimalRNNCell extends RNNCell {
 *     readonly stateSize = 8;
 *     private kernel!: LayerVariable;
 *     private recurrentKernel!: LayerVariable;
 *     override build(shape: Shape) {
 *       this.kernel = this.addWeight('kernel', [shape[1]!, 8]);
 *       this.recurrentKernel = this.addWeight('recurrent_kernel', [8, 8]);
 *     }
 *     step(x: Tensor, [h]: Tensor[]): [Tensor, Tensor[]] {
 *       const next = tf.tanh(tf.add(tf.matMul(x, this.kernel.read()), tf.matMul(h, this.recurrentKernel.read())));
 *       return [next, [next]];
 *     }
 *   }
 *
 * A cell answers two calls: Keras's cell call `call(input, states, training)` -> `[output, newStates]`
 * (what the RNN layer uses), and the Layer call `apply([input, ...states])` -> `[output, ...newStates]`,
 * to use a cell on its own or in a graph.
 */
export abstract class RNNCell extends Layer {
  /** One size per state (a single number for one state). */
  abstract readonly stateSize: number | number[];

  /**
   * One step: input [batch, features] and the states after the previous step, returning the step's
   * output and the new states (a single tensor is accepted for a single state).
   */
  abstract step(input: Tensor, states: Tensor[], options: CellStepOptions): [Tensor, Tensor[] | Tensor];

  /** The state sizes as a list, checked. */
  get stateSizes(): number[] {
    const size = this.stateSize;
    const sizes = typeof size === 'number' ? [size] : Array.isArray(size) ? [...size] : null;
    if (!sizes || sizes.length === 0 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
      throw new Error(
        `${this.describe()}: stateSize must be a positive integer or a non-empty list of positive integers (one per state), ` +
          `got ${JSON.stringify(size)}.`,
      );
    }
    return sizes;
  }

  /** Size of the step output; the first state's size unless a cell says otherwise. */
  get outputSize(): number {
    return this.stateSizes[0];
  }

  /** Initial states for a batch: zeros. */
  getInitialState(batchSize: number): Tensor[] {
    return this.stateSizes.map((size) => tf.zeros([batchSize, size]));
  }

  /** Called before every sequence, so a cell can fix per-sequence state such as dropout masks. */
  beginSequence(context: SequenceContext): void {
    void context;
  }

  /** Called after every sequence (also when it failed). */
  endSequence(): void {}

  /** Layer convention: `apply([input, ...states])` returns `[output, ...newStates]` (zero states when none are given). */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[];
  /** Keras cell convention: one step, returning `[output, newStates]`. */
  override call(input: Tensor, states: Tensor[], training?: boolean | CellStepOptions): [Tensor, Tensor[]];
  override call(
    first: Tensor | Tensor[],
    second: CallKwargs | Tensor[],
    third?: boolean | CellStepOptions,
  ): Tensor | Tensor[] | [Tensor, Tensor[]] {
    if (Array.isArray(second)) return this.checkedStep(first as Tensor, second, trainingFlag(third));
    const training = (second as CallKwargs | undefined)?.training === true;
    // On its own a cell frees its intermediates itself; inside an RNN the layer's loop does.
    return tf.tidy(() => {
      const [input, ...given] = Array.isArray(first) ? first : [first];
      const states = given.length > 0 ? given : this.getInitialState(input.shape[0]);
      const [output, newStates] = this.checkedStep(input, states, training);
      return [output, ...newStates];
    });
  }

  /** `step`, with the number of states checked on the way in and the form of the answer on the way out. */
  private checkedStep(input: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]] {
    const sizes = this.stateSizes;
    if (states.length !== sizes.length) {
      throw new Error(
        `${this.describe()}: expected ${sizes.length} state tensor${sizes.length === 1 ? '' : 's'} of sizes [${sizes.join(', ')}], got ${states.length}.`,
      );
    }
    const result = this.step(input, states, { training }) as unknown;
    if (!Array.isArray(result) || result.length !== 2 || !(result[0] instanceof tf.Tensor)) {
      throw new Error(
        `${this.describe()}: step must return [output, newStates], got ${Array.isArray(result) ? `an array of ${result.length}` : typeof result}.`,
      );
    }
    const [output, next] = result as [Tensor, Tensor | Tensor[]];
    const newStates = Array.isArray(next) ? next : [next];
    if (newStates.length !== sizes.length) {
      throw new Error(
        `${this.describe()}: step returned ${newStates.length} state(s) but stateSize declares ${sizes.length}; return one new state per declared state.`,
      );
    }
    return [output, newStates];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const batch = shape[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSizes.map((s) => [batch, s])];
  }

  override computeMask(): null {
    return null;
  }
}

/** A cell from a cell object, or from `{className, config}` through the layer registry. */
export function resolveCell(cell: unknown, where: string): RNNCell {
  const resolved = isSerializedLayer(cell) ? deserializeCell(cell, where) : cell;
  if (!(resolved instanceof RNNCell)) {
    const got = resolved instanceof Layer ? resolved.describe() : resolved === null ? 'null' : typeof resolved;
    throw new Error(
      `${where}: expected a recurrent cell (a subclass of RNNCell, which is a Layer with stateSize and step(input, states)), got ${got}.`,
    );
  }
  void resolved.stateSizes; // checked now, so a bad stateSize is reported where the cell is given
  return resolved;
}

function deserializeCell(cell: SerializedLayer, where: string): unknown {
  if (!getLayerClass(cell.className)) {
    throw new Error(`${where}: unknown cell class ${JSON.stringify(cell.className)}; register it with registerLayer before loading the config.`);
  }
  return deserializeLayer({ className: cell.className, config: { ...cell.config } });
}

/** `{className, config}` of a cell; only cells whose class is registered can be written to a config. */
export function serializeCell(cell: RNNCell, where: string): SerializedLayer {
  if (getLayerClass(cell.className) === cell.constructor) {
    return { className: cell.className, config: cell.getConfig() };
  }
  throw new Error(
    `${where}: serializing this cell is not supported: only registered cells (SimpleRNNCell, LSTMCell, GRUCell, ` +
      'StackedRNNCells, or an RNNCell subclass passed to registerLayer) can be written to a config.',
  );
}
