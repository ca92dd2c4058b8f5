import * as tf from '@tensorflow/tfjs';
import { isFusedActivation, recurrentSequence, type CellKind, type KernelActivation } from '@recurrent/kernels';
import type { ActivationFn } from '../../activations/activations';
import type { Tensor } from '../../engine/types';
import type { BuiltinCell } from './builtin_cell';
import { GRUCell } from './gru_cell';
import { LSTMCell } from './lstm_cell';
import { SimpleRNNCell } from './simple_rnn_cell';
import type { StepLoopResult } from './step_loop';

/** A built-in cell class exactly (a subclass may override the step, which the kernel would not see). */
function isExactBuiltinCell(cell: unknown): cell is SimpleRNNCell | LSTMCell | GRUCell {
  if (cell === null || typeof cell !== 'object') return false;
  const ctor = (cell as object).constructor;
  return ctor === SimpleRNNCell || ctor === LSTMCell || ctor === GRUCell;
}

function kernelActivation(fn: ActivationFn): KernelActivation | null {
  return fn.builtIn && isFusedActivation(fn.name) ? fn.name : null;
}

/**
 * Why the fused kernel cannot run this configuration, or null when it can: it needs a built-in cell
 * (SimpleRNNCell, LSTMCell, GRUCell) with kernel activations, float32 [batch, time, features]
 * inputs and a [batch, time] mask. Anything else runs the step-by-step loop, as Keras falls back
 * from cuDNN to its generic loop.
 */
export function fusedUnsupportedReason(cell: unknown, x: Tensor, mask: Tensor | null): string | null {
  const cellReason = fusedCellUnsupportedReason(cell);
  if (cellReason !== null) return cellReason;
  if (x.dtype !== 'float32') return `the input dtype is ${x.dtype}, not float32`;
  if (x.rank !== 3) return `the input has rank ${x.rank}, not 3 (batch, time, features)`;
  if (mask && mask.rank !== 2) return `the mask has rank ${mask.rank}, not 2 (batch, time)`;
  return null;
}

/** The part of fusedUnsupportedReason that depends on the cell alone. */
export function fusedCellUnsupportedReason(cell: unknown): string | null {
  if (!isExactBuiltinCell(cell)) return 'the cell is not a built-in SimpleRNNCell, LSTMCell or GRUCell';
  if (kernelActivation(cell.activation) === null) {
    return `activation ${JSON.stringify(cell.activation.name)} is not one the fused kernel implements`;
  }
  if (!(cell instanceof SimpleRNNCell) && kernelActivation(cell.recurrentActivation) === null) {
    return `recurrentActivation ${JSON.stringify(cell.recurrentActivation.name)} is not one the fused kernel implements`;
  }
  return null;
}

/** The kernel's attributes for a cell that fusedUnsupportedReason accepts. */
export interface FusedCellAttributes {
  cell: CellKind;
  activation: KernelActivation;
  recurrentActivation: KernelActivation | undefined;
  resetAfter: boolean | undefined;
}

export function fusedCellAttributes(cell: BuiltinCell): FusedCellAttributes {
  const gated = cell instanceof LSTMCell || cell instanceof GRUCell;
  return {
    cell: cell.kind,
    activation: kernelActivation(cell.activation) as KernelActivation,
    recurrentActivation: gated ? (kernelActivation(cell.recurrentActivation) as KernelActivation) : undefined,
    resetAfter: cell instanceof GRUCell ? cell.resetAfter : undefined,
  };
}

export interface FusedRunOptions {
  goBackwards: boolean;
  zeroOutputForMask: boolean;
  /** Every step's output (returnSequences); otherwise the kernel computes only the last step's. */
  returnAllOutputs: boolean;
  /** Whether the caller uses the final states (returnState, or a stateful layer); otherwise the
   * kernel returns none and `states` is empty. */
  returnStates: boolean;
  /** The layer name, reported with the per-step gradient norms of the backward pass. */
  tag: string;
}

/**
 * Runs a whole sequence of a built-in cell through the fused `recurrentSequence` kernel, with the
 * cell's current weights and dropout masks (call cell.beginSequence first). Same result shape as
 * the step loop: outputs in processing order, last output = output of the last processed step.
 * `initialStates` may be empty: the kernel then starts from zero states.
 */
export function runFused(
  cell: BuiltinCell,
  x: Tensor,
  initialStates: Tensor[],
  mask: Tensor | null,
  options: FusedRunOptions,
): StepLoopResult {
  const w = cell.readWeights();
  const dropoutMasks = cell.currentDropoutMasks;
  const lstm = cell instanceof LSTMCell;
  const attrs = fusedCellAttributes(cell);
  const result = recurrentSequence(
    {
      x: x as tf.Tensor3D,
      kernel: w.kernel as tf.Tensor2D,
      recurrentKernel: w.recurrentKernel as tf.Tensor2D,
      bias: w.bias,
      initialH: (initialStates[0] ?? null) as tf.Tensor2D | null,
      initialC: lstm ? ((initialStates[1] ?? null) as tf.Tensor2D | null) : null,
      mask: mask as tf.Tensor2D | null,
      inputDropoutMask: dropoutMasks.input,
      recurrentDropoutMask: dropoutMasks.recurrent,
    },
    {
      // Written out rather than spread: a spread followed by more keys builds a slow object, and the op
      // then reads it key by key (a few microseconds of every call).
      cell: attrs.cell,
      activation: attrs.activation,
      recurrentActivation: attrs.recurrentActivation,
      resetAfter: attrs.resetAfter,
      goBackwards: options.goBackwards,
      zeroOutputForMask: options.zeroOutputForMask,
      returnSequences: options.returnAllOutputs,
      // With the full sequence, h also gives the last output cheaply (below).
      returnState: options.returnStates || options.returnAllOutputs,
      tag: options.tag,
    },
  );
  const states = result.h === null || !options.returnStates ? [] : lstm ? [result.h, result.c as Tensor] : [result.h];
  // A many-to-one layer: the kernel wrote only the last step's output.
  if (result.outputs.rank === 2) return { lastOutput: result.outputs, outputs: null, states };
  // Without a mask every step is valid, so the last output is the final h, the same numbers. The
  // clone shares h's data; it keeps the output a tensor of its own next to the returned state.
  const outputs = result.outputs as tf.Tensor3D;
  const [batch, time, units] = outputs.shape;
  const lastOutput = mask === null && result.h !== null
    ? tf.clone(result.h)
    : tf.reshape(tf.slice(outputs, [0, time - 1, 0], [batch, 1, units]), [batch, units]);
  return { lastOutput, outputs, states };
}
