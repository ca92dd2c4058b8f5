/** The signatures every cell's step functions share, and the gradient buffers of a backward pass. */
import type { SequenceContext } from './sequence_context';

export interface GradientBuffers {
  /** B x U: gradient wrt the h state after the current step; on return, wrt the state before it. */
  dh: Float32Array;
  /** B x U: the same for the lstm cell state; null for other cells. */
  dc: Float32Array | null;
  /** U x G*U: accumulated gradient of the recurrent kernel. */
  dRecurrentKernel: Float32Array;
  /** G*U: accumulated gradient of the gru resetAfter recurrent bias row; null otherwise. */
  dRecurrentBias: Float32Array | null;
  /** B*T x G*U, rows b*T + t: gradient wrt the input projection x·K + b_in. */
  dInputProjection: Float32Array;
}

/** Runs the step begun by beginStep (time index t, workspace slot `slot`): reads ctx.hd and the
 * projected inputs, writes the step's states and gates into the workspace. */
export type ForwardStep = (ctx: SequenceContext, slot: number, t: number, inputProjection: Float32Array) => void;

/** Backpropagates through the step begun by beginStep (ctx.hd holds the step's recurrent input). */
export type BackwardStep = (ctx: SequenceContext, slot: number, t: number, grads: GradientBuffers) => void;
