/**
 * Sizes, options, weights and scratch buffers shared by the per-cell step functions of one forward
 * or backward call. Scratch buffers are allocated once per call, never per step.
 *
 * The workspace records steps in slots. With a backward to come, step s has slot s (the whole
 * sequence is kept); in inference there is a single slot, 0, which each step reuses, and the input
 * projection is made one step at a time, so memory does not grow with the sequence.
 */
import { GATES, type ForwardRequest, type KernelActivation } from '../spec';
import { stepValidity } from './step_validity';
import { workspaceLayout, type WorkspaceLayout } from './workspace_layout';

export interface SequenceContext {
  B: number;
  T: number;
  F: number;
  U: number;
  /** G*U: width of the packed gate matrices. */
  GU: number;
  activation: KernelActivation;
  recurrentActivation: KernelActivation;
  resetAfter: boolean;
  recurrentKernel: Float32Array;
  /** gru resetAfter only: row 1 of the bias, added inside the recurrent product; else null. */
  recurrentBias: Float32Array | null;
  recurrentDropoutMask: Float32Array | null;
  ws: Float32Array;
  layout: WorkspaceLayout;
  valid: Uint8Array;
  firstValid: Int32Array;
  /** valid for the step being processed, one entry per row (set by beginStep). */
  stepValid: Uint8Array;
  /** true: every step has a slot of its own and the projection covers the whole sequence. */
  recordsSequence: boolean;
  /** Scratch B x U: the recurrent input h_prev * rdm of the current step. */
  hd: Float32Array;
  /** Scratch B x G*U: pre-activations (forward) or gate gradients (backward). */
  gatesScratch: Float32Array;
  /** Scratch B x U, for the gru reset-before product and for recurrent gradients. */
  unitsScratch: Float32Array;
  /** Scratch B x U, a second one (gru resetAfter=false needs r*h_prev and its gradient at once). */
  unitsScratch2: Float32Array;
}

/** The context of one call; `ws` null: a fresh workspace for the slots the call keeps. */
export function createSequenceContext(req: ForwardRequest, ws: Float32Array | null, recordsSequence: boolean): SequenceContext {
  const { batch: B, time: T, features: F, units: U } = req;
  const GU = GATES[req.cell] * U;
  const resetAfter = req.cell === 'gru' && req.resetAfter;
  const { valid, firstValid } = stepValidity(req.mask, B, T, req.goBackwards);
  const layout = workspaceLayout(recordsSequence ? req : { ...req, time: 1 }, req.resetAfter);
  return {
    B, T, F, U, GU,
    activation: req.activation,
    recurrentActivation: req.recurrentActivation,
    resetAfter,
    recurrentKernel: req.recurrentKernel,
    recurrentBias: resetAfter && req.bias !== null ? req.bias.subarray(GU, 2 * GU) : null,
    recurrentDropoutMask: req.recurrentDropoutMask,
    ws: ws ?? new Float32Array(layout.size),
    layout,
    valid,
    firstValid,
    stepValid: valid.subarray(0, B),
    recordsSequence,
    hd: new Float32Array(B * U),
    gatesScratch: new Float32Array(B * GU),
    unitsScratch: new Float32Array(B * U),
    unitsScratch2: new Float32Array(B * U),
  };
}

/** The workspace slot of processing step s. */
export function slotOf(ctx: SequenceContext, s: number): number {
  return ctx.recordsSequence ? s : 0;
}

/** Row of (b, t) in the input projection: the whole sequence's [B*T, G*U], or one step's [B, G*U]. */
export function projectionRow(ctx: SequenceContext, b: number, t: number): number {
  return (ctx.recordsSequence ? b * ctx.T + t : b) * ctx.GU;
}

/** Starts processing step s: its validity, and ctx.hd = the state before it times the recurrent
 * dropout mask. */
export function beginStep(ctx: SequenceContext, s: number): void {
  ctx.stepValid = ctx.valid.subarray(s * ctx.B, (s + 1) * ctx.B);
  const BU = ctx.B * ctx.U;
  const from = ctx.layout.h + slotOf(ctx, s) * BU;
  const rdm = ctx.recurrentDropoutMask;
  if (rdm === null) {
    ctx.hd.set(ctx.ws.subarray(from, from + BU));
  } else {
    for (let i = 0; i < BU; i++) ctx.hd[i] = ctx.ws[from + i] * rdm[i];
  }
}

/** Copies the state rows of masked rows forward unchanged (states keep their value at masked steps). */
export function carryMaskedStates(ctx: SequenceContext, slot: number, region: number): void {
  const { B, U } = ctx;
  const BU = B * U;
  for (let b = 0; b < B; b++) {
    if (ctx.stepValid[b]) continue;
    const from = region + slot * BU + b * U;
    ctx.ws.copyWithin(from + BU, from, from + U);
  }
}
