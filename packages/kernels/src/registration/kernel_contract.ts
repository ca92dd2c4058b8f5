/**
 * Names, inputs and attributes of the two tfjs kernels. Every input is always passed; an absent
 * optional input is an empty placeholder tensor of shape [0] (real inputs are never empty, the op
 * checks that), so the saved-tensor list of the gradient has a fixed layout.
 */
import type { CellKind, KernelActivation } from '../spec';

export const RECURRENT_SEQUENCE = 'RecurrentSequence';
export const RECURRENT_SEQUENCE_GRAD = 'RecurrentSequenceGrad';

/** Forward kernel inputs, in order. */
export const FORWARD_INPUTS = [
  'x', 'kernel', 'recurrentKernel', 'bias', 'initialH', 'initialC', 'mask', 'inputDropoutMask', 'recurrentDropoutMask',
] as const;
export type ForwardInputName = (typeof FORWARD_INPUTS)[number];

/** Extra inputs of the gradient kernel, after the forward ones. */
export const GRAD_EXTRA_INPUTS = ['workspace', 'dOutputs', 'dH', 'dC'] as const;

/** Forward kernel outputs: outputs [B,T,U] ([B,U] with returnSequences false), h [B,U], c [B,U]
 * (h and c placeholders [0] with returnState false; c one unless lstm), workspace. */
export const FORWARD_OUTPUT_COUNT = 4;
export const WORKSPACE_OUTPUT_INDEX = 3;

/** Gradient kernel outputs, in order; dBias and dInitialC are [0] placeholders when not applicable. */
export const GRAD_OUTPUTS = ['dx', 'dKernel', 'dRecurrentKernel', 'dBias', 'dInitialH', 'dInitialC'] as const;

/** Attributes of both kernels (plain values, as tfjs NamedAttrMap requires). */
export interface RecurrentSequenceAttrs {
  cell: CellKind;
  activation: KernelActivation;
  recurrentActivation: KernelActivation;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
  resetAfter: boolean;
  /** Who ran the kernel (a layer name); passed to backward listeners. */
  tag: string;
  /** The implementation chosen by the op for this call, so forward and backward agree. */
  implementation: 'native' | 'typescript';
  /** false: only the last step's output, [B, U]. Absent = true. */
  returnSequences?: boolean;
  /** false: the final states are not wanted (h and c outputs are [0] placeholders). Absent = true. */
  returnState?: boolean;
  /** false when the op ran with no gradient tape recording: the workspace output is then empty.
   * Absent = true (direct runKernel callers always get a workspace). */
  saveWorkspace?: boolean;
  /** true: the workspace output is an empty handle and the workspace is kept beside tfjs
   * (workspace_handles.ts), so tfjs's zero gradient for that output costs nothing. Absent = false. */
  workspaceHandle?: boolean;
  /** false when the op found that nothing can need the gradient of x (data fed to the model): the
   * gradient kernel then skips dx and returns a [0] placeholder. Absent = true. */
  computeInputGradient?: boolean;
  /** Set on the second backward run that only supplies the skipped dx: its per-step norms were already
   * reported to the backward listeners by the first. */
  repeatForInputGradient?: boolean;
}
