import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { splitInitialState, splitInitialStateShapes } from '../../engine/initial_state';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer, type SerializedLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import { BuiltinCell } from './builtin_cell';
import { fusedCellAttributes, fusedCellUnsupportedReason, fusedUnsupportedReason, runFused, type FusedCellAttributes } from './fused_sequence';
import { resolveCell, RNNCell, serializeCell } from './rnn_cell';
import { StackedRNNCells } from './stacked_rnn_cells';
import { canStepStateful, stepStateful } from './stateful_step';
import { runStepLoop, type StepLoopResult } from './step_loop';

/**
 * How a built-in recurrent layer runs: 'auto' (default) uses the fused kernel whenever the
 * configuration allows it, false always runs the step-by-step cell loop, true demands the fused
 * kernel and throws when the configuration is not supported. Like Keras's `use_cudnn`, it is a
 * run-time choice and not part of the config.
 */
export const useFusedSchema = z.union([z.literal('auto'), z.boolean()], { error: "expected 'auto', true or false" });
export type UseFused = z.output<typeof useFusedSchema>;

/** How the RNN layer runs its cell: Keras RNN's arguments besides the cell (SimpleRNN, LSTM and GRU take them too). */
export const rnnOptionsShape = {
  returnSequences: z.boolean().optional(),
  returnState: z.boolean().optional(),
  goBackwards: z.boolean().optional(),
  stateful: z.boolean().optional(),
  unroll: z.boolean().optional(),
  zeroOutputForMask: z.boolean().optional(),
  useFused: useFusedSchema.optional(),
};

export const rnnArgsSchema = baseLayerArgsSchema.extend({
  /** A cell, a list of cells (stacked), or `{className, config}` when rebuilt from a config. */
  cell: z.custom<RNNCell | RNNCell[] | SerializedLayer>((v) => v !== null && typeof v === 'object', {
    error: 'expected a recurrent cell, a list of cells, or {className, config}',
  }),
  ...rnnOptionsShape,
}).strict();
export type RNNArgs = z.input<typeof rnnArgsSchema>;
/** The RNN arguments besides the cell. */
export type RNNOptions = Omit<RNNArgs, 'cell'>;

/**
 * The recurrent layer (Keras RNN): runs a cell over the time axis of [batch, time, features].
 * Built-in cells with kernel activations run as one fused kernel (`recurrentSequence`); every other
 * configuration runs the step-by-step cell loop. Both follow Keras's TensorFlow-backend semantics
 * (masks, goBackwards, zeroOutputForMask, stateful, dropout masks fixed for a sequence).
 */
export class RNN extends Layer {
  static override className = 'RNN';
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  /** Mutable because Bidirectional forces it to returnSequences on its two layers, as Keras does. */
  zeroOutputForMask: boolean;
  /** 'auto': fused kernel when supported; false: always the step loop; true: fused or error. */
  useFused: UseFused;
  /** Non-trainable holders of the states between calls (stateful layers only; not weights, as in Keras). */
  private stateHolders: tf.Variable[] | null = null;
  /**
   * The newest states of a stateful layer stepped one timestep at a time (stepStateful), as arrays the
   * layer owns and steps in place; the holders are behind them until `syncStateHolders` writes them
   * (when the states are read, reset, or a whole-sequence call needs them). Null: the holders are current.
   */
  private steppedStates: Float32Array[] | null = null;
  /** The cell's attributes for the one-step kernel (null: the kernel cannot run it); undefined until needed. */
  private stepAttributes: FusedCellAttributes | null | undefined = undefined;
  /** Whether the last call ran the fused kernel (for tests and diagnostics). */
  lastCallFused: boolean | null = null;

  constructor(args: RNNArgs) {
    const a = parseLayerArgs('RNN', rnnArgsSchema, args);
    super(a);
    this.cell = Array.isArray(a.cell) ? new StackedRNNCells({ cells: a.cell }) : resolveCell(a.cell, `${this.describe()}: cell`);
    this.returnSequences = a.returnSequences ?? false;
    this.returnState = a.returnState ?? false;
    this.goBackwards = a.goBackwards ?? false;
    this.stateful = a.stateful ?? false;
    this.unroll = a.unroll ?? false;
    this.zeroOutputForMask = a.zeroOutputForMask ?? false;
    this.useFused = a.useFused ?? 'auto';
    this.supportsMasking = true;
  }

  override get childLayers(): Layer[] {
    return [this.cell];
  }

  /** One size per state, in state order. */
  get stateSize(): number[] {
    return this.cell.stateSizes;
  }

  /** The cell creates the weights, so it takes the scope (a stack of cells keeps its cells' own names). */
  override setWeightScope(scope: string): void {
    if (this.built) return;
    super.setWeightScope(scope);
    if (!(this.cell instanceof StackedRNNCells)) this.cell.setWeightScope(scope);
  }

  override build(inputShape: Shape | Shape[]): void {
    const { input: shape } = splitInitialStateShapes(inputShape);
    this.checkSequenceShape(shape);
    this.cell.maybeBuild([shape[0], ...shape.slice(2)]);
    if (this.stateful) this.createStateHolders(shape[0]);
  }

  private checkSequenceShape(shape: Shape): void {
    const needsRank3 = this.cell instanceof BuiltinCell || this.cell instanceof StackedRNNCells;
    if (needsRank3 ? shape.length !== 3 : shape.length < 3) {
      throw new Error(
        `${this.describe()}: expects inputs of shape [batch, timesteps, features]${needsRank3 ? '' : ' (or more feature axes)'}, ` +
          `got ${formatShape(shape)}.`,
      );
    }
    if (shape.slice(2).some((d) => d == null)) {
      throw new Error(`${this.describe()}: the feature size must be known, got input shape ${formatShape(shape)}.`);
    }
  }

  // ---- states -------------------------------------------------------------------------------------------

  private createStateHolders(batch: number | null): void {
    if (batch == null) {
      throw new Error(
        `${this.describe()}: a stateful RNN needs a fixed batch size; give the first layer batchInputShape ` +
          '(or input({ batchShape: [batch, timesteps, features] })), or batchSize with inputShape.',
      );
    }
    this.disposeStateHolders();
    this.stateHolders = this.stateSize.map((size) => {
      const zeros = tf.zeros([batch, size]);
      const holder = tf.variable(zeros, false, undefined, 'float32');
      zeros.dispose();
      return holder;
    });
  }

  /** The current carried states of a stateful layer (the holders themselves; do not dispose), or null. */
  get states(): tf.Tensor[] | null {
    this.syncStateHolders();
    return this.stateHolders ? [...this.stateHolders] : null;
  }

  /** Writes states carried by one-step calls into the holders (the arrays then belong to the holders' tensors). */
  private syncStateHolders(): void {
    const stepped = this.steppedStates;
    if (stepped === null || this.stateHolders === null) return;
    this.steppedStates = null;
    const holders = this.stateHolders;
    tf.tidy(() => stepped.forEach((values, i) => holders[i].assign(tf.tensor(values, holders[i].shape, 'float32'))));
  }

  /** The carried states as arrays for a one-step call (the layer's own, stepped in place). */
  private statesToStep(holders: tf.Variable[]): Float32Array[] {
    if (this.steppedStates === null) this.steppedStates = holders.map((h) => (h.dataSync() as Float32Array).slice());
    return this.steppedStates;
  }

  /** Resets a stateful layer's states to zeros, or to the given values (one [batch, size] tensor per state). */
  override resetStates(states?: Tensor[] | null): void {
    if (!this.stateful) throw new Error(`${this.describe()}: resetStates needs a stateful layer (stateful: true).`);
    if (!this.stateHolders) {
      if (states && states.length > 0) {
        throw new Error(`${this.describe()}: is not built yet, so there are no states to set; call it on an input first.`);
      }
      return;
    }
    const holders = this.stateHolders;
    if (states && states.length > 0) {
      if (states.length !== holders.length) {
        throw new Error(`${this.describe()}: resetStates expected ${holders.length} state tensor(s), got ${states.length}.`);
      }
      states.forEach((s, i) => {
        if (!tf.util.arraysEqual(s.shape, holders[i].shape)) {
          throw new Error(`${this.describe()}: resetStates: state ${i} must have shape [${holders[i].shape.join(', ')}], got [${s.shape.join(', ')}].`);
        }
      });
      this.steppedStates = null;  // replaced now
      states.forEach((s, i) => tf.tidy(() => holders[i].assign(s.dtype === 'float32' ? s.clone() : tf.cast(s, 'float32'))));
    } else {
      this.steppedStates = null;
      for (const holder of holders) tf.tidy(() => holder.assign(tf.zerosLike(holder)));
    }
  }

  private disposeStateHolders(): void {
    if (this.stateHolders) for (const h of this.stateHolders) h.dispose();
    this.stateHolders = null;
    this.steppedStates = null;
  }

  // ---- calling ------------------------------------------------------------------------------------------

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const { input, initialState } = splitInitialState(inputs, kwargs.initialState ?? null);
    const mask = firstMask(kwargs.mask);
    const training = kwargs.training === true;
    const stepped = this.stepStatefulCall(input, initialState, mask, training);
    if (stepped !== null) return stepped;
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      this.checkSequenceShape([...x.shape]);
      const batch = x.shape[0];
      if (this.stateful && this.stateHolders && this.stateHolders[0].shape[0] !== batch) {
        throw new Error(`${this.describe()}: is stateful with batch size ${this.stateHolders[0].shape[0]}, got a batch of ${batch}; feed batches of exactly that size.`);
      }
      const reason = this.useFused === false ? 'useFused is false' : fusedUnsupportedReason(this.cell, x, mask);
      if (this.useFused === true && reason !== null) {
        throw new Error(`${this.describe()}: useFused is true but the fused kernel cannot run this layer: ${reason}.`);
      }
      // An input cast to float32 here may still be one step of a stateful layer.
      if (x !== input) {
        const stepped = this.stepStatefulCall(x, initialState, mask, training);
        if (stepped !== null) return stepped;
      }
      const holders = this.stateful ? this.stateHolders : null;
      this.syncStateHolders();
      // Outside gradient recording, the fused kernel reads a stateful layer's states once and returns new
      // tensors, so it may take the holders themselves (no copies per generated step).
      const initial = this.initialStates(batch, initialState, reason === null, reason === null && !tf.engine().isTapeOn());
      this.cell.beginSequence({ training, batchSize: batch, inputDim: x.shape[x.rank - 1], stepByStep: reason !== null });
      let result: StepLoopResult;
      try {
        result = reason === null ? this.runFusedKernel(x, initial, mask) : this.runCellLoop(x, initial, mask, training);
      } finally {
        this.cell.endSequence();
      }
      this.lastCallFused = reason === null;
      if (holders !== null) result.states.forEach((s, i) => holders[i].assign(s));
      const output = this.returnSequences ? (result.outputs as Tensor) : result.lastOutput;
      return this.returnState ? [output, ...result.states] : output;
    });
  }

  /**
   * A stateful layer fed one float32 timestep in inference (generation): the kernel's one-step entry on the
   * carried states, or null when this call is not one (`canStepStateful`; a batch other than the states'
   * goes on to the whole-sequence path, which says what is wrong). It creates no tensor but those it
   * returns, so it runs outside a tidy scope.
   */
  private stepStatefulCall(input: Tensor, initialState: Tensor[] | null, mask: Tensor | null, training: boolean): Tensor | Tensor[] | null {
    const holders = this.stateful ? this.stateHolders : null;
    if (holders === null || this.useFused === false || input.dtype !== 'float32' || input.rank !== 3 || holders[0].shape[0] !== input.shape[0]) return null;
    const attrs = this.fusedStepAttributes();
    if (attrs === null || !canStepStateful(input, mask, initialState !== null && initialState.length > 0, training)) return null;
    const states = this.statesToStep(holders);
    const output = stepStateful(this.cell as BuiltinCell, attrs, input, states, this.returnSequences);
    this.lastCallFused = true;
    // Returned states are copies: the carried arrays go on changing in place.
    return this.returnState ? [output, ...states.map((s, i) => tf.tensor(s.slice(), holders[i].shape, 'float32'))] : output;
  }

  /**
   * The cell's attributes for the fused kernel, or null when the kernel cannot run the cell; worked out on
   * the first one-step call, since a cell's configuration does not change.
   */
  private fusedStepAttributes(): FusedCellAttributes | null {
    if (this.stepAttributes === undefined) {
      this.stepAttributes = fusedCellUnsupportedReason(this.cell) === null ? fusedCellAttributes(this.cell as BuiltinCell) : null;
    }
    return this.stepAttributes;
  }

  /**
   * Checks the shapes of initial states given in a graph (`[batch, size]` per state, as many as the cell
   * has), so a config whose state inputs do not fit is refused when the model is built, not when it runs.
   */
  checkInitialStateShapes(shapes: readonly Shape[]): void {
    const sizes = this.stateSize;
    if (shapes.length !== sizes.length) throw new Error(this.stateCountMessage(shapes.length));
    shapes.forEach((shape, i) => {
      const size = shape[shape.length - 1];
      if (shape.length !== 2 || (size !== null && size !== undefined && size !== sizes[i])) {
        throw new Error(`${this.describe()}: initialState[${i}] must have shape [batch, ${sizes[i]}], got ${formatShape(shape)}.`);
      }
    });
  }

  private stateCountMessage(given: number): string {
    const sizes = this.stateSize;
    return `${this.describe()}: initialState must hold ${sizes.length} tensor(s) (state sizes [${sizes.join(', ')}]), got ${given}.`;
  }

  /** `shareHolders`: a stateful layer's holders are passed as they are instead of as copies (see call). */
  /** The states a sequence starts from; [] when the fused kernel may start from zeros itself (`fused`). */
  private initialStates(batch: number, given: Tensor[] | null, fused: boolean, shareHolders: boolean): Tensor[] {
    const sizes = this.stateSize;
    if (given && given.length > 0) {
      if (given.length !== sizes.length) throw new Error(this.stateCountMessage(given.length));
      return given.map((s, i) => {
        if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== sizes[i]) {
          throw new Error(`${this.describe()}: initialState[${i}] must have shape [${batch}, ${sizes[i]}], got [${s.shape.join(', ')}].`);
        }
        return s.dtype === 'float32' ? s : tf.cast(s, 'float32');
      });
    }
    if (this.stateful && this.stateHolders) return shareHolders ? [...this.stateHolders] : this.stateHolders.map((h) => h.clone());
    // Absent states are zeros to the fused kernel: no zero tensors made and read per call. A cell that
    // redefines its initial states still has them used.
    if (fused && this.cell.getInitialState === RNNCell.prototype.getInitialState) return [];
    return this.cell.getInitialState(batch);
  }

  private runFusedKernel(x: Tensor, initial: Tensor[], mask: Tensor | null): StepLoopResult {
    return runFused(this.cell as BuiltinCell, x, initial, mask, {
      goBackwards: this.goBackwards, zeroOutputForMask: this.zeroOutputForMask, returnAllOutputs: this.returnSequences,
      returnStates: this.returnState || this.stateful, tag: this.name,
    });
  }

  private runCellLoop(x: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean): StepLoopResult {
    return runStepLoop((xt, states) => this.cell.call(xt, states, { training }), x, initial, {
      mask, goBackwards: this.goBackwards, zeroOutputForMask: this.zeroOutputForMask, returnAllOutputs: this.returnSequences,
    });
  }

  // ---- shapes, masks, config ----------------------------------------------------------------------------

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { input: shape, initialState } = splitInitialStateShapes(inputShape);
    if (initialState !== null) this.checkInitialStateShapes(initialState);
    const batch = shape[0] ?? null;
    const outputSize = this.cell.outputSize;
    const output: Shape = this.returnSequences ? [batch, shape[1] ?? null, outputSize] : [batch, outputSize];
    return this.returnState ? [output, ...this.stateSize.map((s) => [batch, s])] : output;
  }

  /** Keras 3.15: the input mask passes on when returnSequences; the state outputs carry none. */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    void inputs;
    const outputMask = this.returnSequences ? firstMask(mask) : null;
    return this.returnState ? [outputMask as Tensor, ...this.stateSize.map(() => null as unknown as Tensor)] : outputMask;
  }

  /** The RNN base keys (Keras `RNN.get_config` without the cell). */
  protected rnnConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), cell: serializeCell(this.cell, `${this.describe()}: getConfig`) };
  }

  override dispose(): void {
    this.disposeStateHolders();
    super.dispose();
  }
}

/** The sequence's mask from a mask argument that may list one mask per input ([x, ...states]). */
function firstMask(mask: Tensor | Tensor[] | null | undefined): Tensor | null {
  if (Array.isArray(mask)) return mask[0] ?? null;
  return mask ?? null;
}

registerLayer(RNN);
