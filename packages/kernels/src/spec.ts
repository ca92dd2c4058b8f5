/**
 * The contract shared by every implementation of the fused recurrent kernels (native addon and
 * TypeScript kernels). Both receive flat Float32Arrays plus sizes, and must agree to 1e-5.
 *
 * Semantics are Keras 3's (docs/architecture.md, "Kernel semantics"):
 * - SimpleRNN: h = act(x·K + b + (h_prev*rdm)·R)                                  gates G=1
 * - LSTM (gate blocks i,f,c,o): z = (x*idm)·K + (h_prev*rdm)·R + b;
 *   i=ra(z_i) f=ra(z_f) g=act(z_c) o=ra(z_o); c = f*c_prev + i*g; h = o*act(c)    G=4, states [h, c]
 * - GRU (blocks z,r,h):
 *   resetAfter=true, bias [2, 3U] (row 0 input, row 1 recurrent):
 *     inner = (h_prev*rdm)·R + b_rec; z=ra(xz+bz+inner_z); r=ra(xr+br+inner_r);
 *     hh = act(xh + b_in_h + r*inner_h)
 *   resetAfter=false, bias [3U] on the input side only:
 *     z=ra(xz+bz+(h_prev*rdm)·R_z); r=ra(...); hh = act(xh + bh + (r*(h_prev*rdm))·R_h)
 *   h = z*h_prev + (1-z)*hh                                                        G=3
 *   (idm / rdm: the optional input and recurrent dropout multipliers, fixed over time; the recurrent
 *   mask multiplies h_prev only where it enters the recurrent matrix product; the carry z*h_prev and
 *   f*c_prev use the undropped state.)
 * - Time runs t = 0..T-1, or T-1..0 when goBackwards. Outputs are written in processing order
 *   (step s at index s), as Keras's TensorFlow backend does: with goBackwards they are NOT flipped.
 * - mask [B, T] (time order, 1 = valid, 0 = masked; any pattern): at a masked step every state keeps
 *   its value, and the output is 0 if zeroOutputForMask, else the previous emitted output (0 before the
 *   first valid step, not h0). Gradients do not flow through masked steps.
 * - returnSequences false (a many-to-one layer): only the output of the last processing step is
 *   returned, [B, U] (Keras's last output: what outputs[:, T-1] would hold), and no [B, T, U] array is
 *   written; the backward then takes the gradient of that output alone.
 */

export type CellKind = 'simple_rnn' | 'lstm' | 'gru';

/** Activation names as Keras spells them. `hard_sigmoid` is Keras 3's clip(x/6+0.5, 0, 1);
 * `hard_sigmoid_legacy` is Keras 2 / tfjs's clip(0.2x+0.5, 0, 1). */
export const ACTIVATIONS = ['tanh', 'sigmoid', 'hard_sigmoid', 'hard_sigmoid_legacy', 'relu', 'linear'] as const;
export type KernelActivation = (typeof ACTIVATIONS)[number];

/** Number of gate blocks per cell: kernel is [F, G*U], recurrent kernel [U, G*U]. */
export const GATES: Record<CellKind, number> = { simple_rnn: 1, lstm: 4, gru: 3 };

export interface RecurrentDims {
  cell: CellKind;
  batch: number;
  time: number;
  features: number;
  units: number;
}

export interface RecurrentOptions {
  activation: KernelActivation;
  recurrentActivation: KernelActivation; // ignored by simple_rnn
  goBackwards: boolean;
  zeroOutputForMask: boolean;
  resetAfter: boolean; // gru only
}

export interface ForwardRequest extends RecurrentDims, RecurrentOptions {
  x: Float32Array; // [B, T, F]
  kernel: Float32Array; // [F, G*U]
  recurrentKernel: Float32Array; // [U, G*U]
  bias: Float32Array | null; // [G*U], or [2, 3U] for gru resetAfter
  initialH: Float32Array | null; // [B, U]; null = zeros
  initialC: Float32Array | null; // [B, U]; lstm only; null = zeros
  mask: Float32Array | null; // [B, T], time order; null = all valid
  inputDropoutMask: Float32Array | null; // [B, F] multipliers (already scaled by 1/(1-rate))
  recurrentDropoutMask: Float32Array | null; // [B, U]
  /** false: only the last step's output is wanted (outputs is [B, U]). Absent = true. */
  returnSequences?: boolean;
  /** false: the final states are not wanted (h and c come back empty). Absent = true. */
  returnState?: boolean;
  /** false when no gradient will be taken (inference): the forward then keeps no per-step record
   * (its memory does not grow with the sequence beyond the inputs and outputs) and returns an empty
   * workspace. Absent = true. */
  saveWorkspace?: boolean;
}

/** The fields of a ForwardRequest in the order the native addon takes them as arguments. */
export const FORWARD_REQUEST_FIELDS = [
  'cell', 'batch', 'time', 'features', 'units', 'activation', 'recurrentActivation', 'goBackwards', 'zeroOutputForMask',
  'resetAfter', 'returnSequences', 'returnState', 'saveWorkspace', 'x', 'kernel', 'recurrentKernel', 'bias', 'initialH',
  'initialC', 'mask', 'inputDropoutMask', 'recurrentDropoutMask',
] as const satisfies readonly (keyof ForwardRequest)[];

export interface ForwardResult {
  outputs: Float32Array; // [B, T, U] in processing order; [B, U] (the last step's) without returnSequences
  h: Float32Array; // [B, U] final h; empty with returnState: false
  c: Float32Array | null; // [B, U] final c (lstm; empty with returnState: false), else null
  /** What the backward pass needs (gate activations and states per step); opaque, and only read by
   * the backward of the same implementation. Empty when the request said saveWorkspace: false. */
  workspace: Float32Array;
}

export interface BackwardRequest extends ForwardRequest {
  workspace: Float32Array;
  dOutputs: Float32Array | null; // like ForwardResult.outputs; null = zeros
  dH: Float32Array | null; // [B, U] gradient wrt the final h; null = zeros
  dC: Float32Array | null; // [B, U] lstm only
  /** false when nothing needs the gradient of x (x is data): dx is then not computed and the result's
   * dx is empty. Absent = true. */
  computeInputGradient?: boolean;
}

/** The fields of a BackwardRequest in the order the native addon takes them as arguments. */
export const BACKWARD_REQUEST_FIELDS = [
  ...FORWARD_REQUEST_FIELDS, 'workspace', 'dOutputs', 'dH', 'dC', 'computeInputGradient',
] as const satisfies readonly (keyof BackwardRequest)[];

export interface BackwardResult {
  dx: Float32Array; // [B, T, F]; empty when the request said computeInputGradient: false
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  dBias: Float32Array | null; // same shape as bias, null when there is no bias
  dInitialH: Float32Array; // [B, U]
  dInitialC: Float32Array | null; // [B, U] lstm only
  /** ||dLoss/dh_s||_2 over the whole batch at every processing step s (the total gradient reaching the
   * state after step s), for watching vanishing and exploding gradients. Length T. */
  dhNorms: Float32Array;
}

/**
 * One timestep of a few sequences (generation: batch 1), in place: `h` (and `c` for LSTM) hold the
 * entering state and receive the new one, which is also the step's output. No mask, dropout or
 * direction: what a stateful layer does with one timestep in inference. The results are the bits the
 * same implementation's forward gives for this step (time 1, initialH h, initialC c).
 *
 * `kernel` and `recurrentKernel` are taken as unchanging for the arrays' lifetime, as tensor data is:
 * an implementation may keep a rearranged copy of a pair it has seen (the native one does). To step with
 * other weights, pass other arrays.
 */
export interface StepRequest {
  cell: CellKind;
  activation: KernelActivation;
  recurrentActivation: KernelActivation; // ignored by simple_rnn
  resetAfter: boolean; // gru only
  batch: number;
  features: number;
  units: number;
  x: Float32Array; // [B, F]
  kernel: Float32Array; // [F, G*U]
  recurrentKernel: Float32Array; // [U, G*U]
  bias: Float32Array | null; // [G*U], or [2, 3U] for gru resetAfter
  h: Float32Array; // [B, U], read, then overwritten; shares no memory with the other arrays
  c: Float32Array | null; // [B, U] for lstm (read, then overwritten), else null
}

/** The fields of a StepRequest in the order the native addon takes them as arguments. */
export const STEP_REQUEST_FIELDS = [
  'cell', 'activation', 'recurrentActivation', 'resetAfter', 'batch', 'features', 'units', 'x', 'kernel', 'recurrentKernel',
  'bias', 'h', 'c',
] as const satisfies readonly (keyof StepRequest)[];

/** One implementation of the fused kernels. */
export interface RecurrentImplementation {
  readonly name: 'native' | 'typescript';
  /** Size in floats of the workspace forward() produces for these dimensions. */
  workspaceSize(dims: RecurrentDims, resetAfter: boolean): number;
  forward(req: ForwardRequest): ForwardResult;
  backward(req: BackwardRequest): BackwardResult;
  /** One timestep in place (StepRequest). */
  step(req: StepRequest): void;
  /** Called with a workspace forward() returned once nothing will read it again: the implementation
   * may reuse its memory now (the array must not be read afterwards). Optional. */
  releaseWorkspace?(workspace: Float32Array): void;
}

/** Row-major single-precision matrix product C = alpha * op(A)·op(B) + beta * C, used for Dense layers
 * and the input projection. */
export interface GemmRequest {
  m: number;
  n: number;
  k: number;
  a: Float32Array; // [m, k] or [k, m] when transA
  b: Float32Array; // [k, n] or [n, k] when transB
  transA: boolean;
  transB: boolean;
}
