/**
 * Sizes, options, weights and scratch buffers shared by the per-cell step functions of one forward
 * or backward call. Scratch buffers are allocated once per call, never per step.
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
  /** Scratch B x U: the recurrent input h_prev * rdm of the current step. */
  hd: Float32Array;
  /** Scratch B x G*U: pre-activations (forward) or gate gradients (backward). */
  gatesScratch: Float32Array;
  /** Scratch B x U, for the gru reset-before product and for recurrent gradients. */
  unitsScratch: Float32Array;
  /** Scratch B x U, a second one (gru resetAfter=false needs r*h_prev and its gradient at once). */
  unitsScratch2: Float32Array;
}

export function createSequenceContext(req: ForwardRequest, ws: Float32Array): SequenceContext {
  const { batch: B, time: T, features: F, units: U } = req;
  const GU = GATES[req.cell] * U;
  const resetAfter = req.cell === 'gru' && req.resetAfter;
  const { valid, firstValid } = stepValidity(req.mask, B, T, req.goBackwards);
  return {
    B, T, F, U, GU,
    activation: req.activation,
    recurrentActivation: req.recurrentActivation,
    resetAfter,
    recurrentKernel: req.recurrentKernel,
    recurrentBias: resetAfter && req.bias !== null ? req.bias.subarray(GU, 2 * GU) : null,
    recurrentDropoutMask: req.recurrentDropoutMask,
    ws,
    layout: workspaceLayout(req, req.resetAfter),
    valid,
    firstValid,
    hd: new Float32Array(B * U),
    gatesScratch: new Float32Array(B * GU),
    unitsScratch: new Float32Array(B * U),
    unitsScratch2: new Float32Array(B * U),
  };
}

/** Fills ctx.hd with the state before step s times the recurrent dropout mask. */
export function loadRecurrentInput(ctx: SequenceContext, s: number): void {
  const BU = ctx.B * ctx.U;
  const from = ctx.layout.h + s * BU;
  const rdm = ctx.recurrentDropoutMask;
  if (rdm === null) {
    ctx.hd.set(ctx.ws.subarray(from, from + BU));
  } else {
    for (let i = 0; i < BU; i++) ctx.hd[i] = ctx.ws[from + i] * rdm[i];
  }
}

/** Copies the state rows of masked rows forward unchanged (states keep their value at masked steps). */
export function carryMaskedStates(ctx: SequenceContext, s: number, region: number): void {
  const { B, U } = ctx;
  const BU = B * U;
  for (let b = 0; b < B; b++) {
    if (ctx.valid[s * B + b]) continue;
    const from = region + s * BU + b * U;
    ctx.ws.copyWithin(from + BU, from, from + U);
  }
}
