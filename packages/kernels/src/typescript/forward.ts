/**
 * Forward pass over the whole sequence. With a backward to come it fills the workspace backward()
 * reads; in inference (saveWorkspace: false) it keeps one step's record at a time and projects the
 * inputs one step at a time. Without returnSequences only the last step's output is written.
 */
import { GATES, type ForwardRequest, type ForwardResult } from '../spec';
import { CELL_STEPS } from './cell_steps';
import { projectInputs, projectStepInputs } from './input_projection';
import { beginStep, createSequenceContext, slotOf, type SequenceContext } from './sequence_context';

export function forwardSequence(req: ForwardRequest): ForwardResult {
  const { batch: B, time: T, units: U } = req;
  const BU = B * U;
  const GU = GATES[req.cell] * U;
  const recordsSequence = req.saveWorkspace !== false;
  const returnSequences = req.returnSequences !== false;
  const wantState = req.returnState !== false;
  const outputs = new Float32Array(returnSequences ? B * T * U : BU);
  if (B === 0 || U === 0) return { outputs, h: new Float32Array(0), c: req.cell === 'lstm' ? new Float32Array(0) : null, workspace: new Float32Array(0) };

  const ctx = createSequenceContext(req, null, recordsSequence);
  const { layout, ws } = ctx;
  if (req.initialH !== null) ws.set(req.initialH, layout.h);
  if (req.cell === 'lstm' && req.initialC !== null) ws.set(req.initialC, layout.c);
  const xProj = recordsSequence ? projectInputs(req, GU) : new Float32Array(B * GU);
  const step = CELL_STEPS[req.cell].forward;
  for (let s = 0; s < T; s++) {
    const t = req.goBackwards ? T - 1 - s : s;
    const slot = slotOf(ctx, s);
    if (!recordsSequence) projectStepInputs(req, t, GU, xProj);
    beginStep(ctx, s);
    step(ctx, slot, t, xProj);
    if (returnSequences) writeOutputs(ctx, s, slot, outputs, req.zeroOutputForMask);
    if (!recordsSequence) moveStatesBack(ctx);
  }
  const last = slotOf(ctx, T);
  const h = ws.slice(layout.h + last * BU, layout.h + (last + 1) * BU);
  if (!returnSequences) writeLastOutputs(ctx, h, outputs, req.zeroOutputForMask);
  return {
    outputs,
    h: wantState ? h : new Float32Array(0),
    c: req.cell !== 'lstm' ? null : wantState ? ws.slice(layout.c + last * BU, layout.c + (last + 1) * BU) : new Float32Array(0),
    workspace: recordsSequence ? ws : new Float32Array(0),
  };
}

/** Output of step s: the new h when valid; at a masked step zeros, or the last emitted output (which
 * is the carried state once the row has had a valid step). */
function writeOutputs(ctx: SequenceContext, s: number, slot: number, outputs: Float32Array, zeroOutputForMask: boolean): void {
  const { B, T, U, ws, layout } = ctx;
  const hNext = layout.h + (slot + 1) * B * U;
  for (let b = 0; b < B; b++) {
    const repeat = !zeroOutputForMask && ctx.firstValid[b] < s;
    if (!ctx.stepValid[b] && !repeat) continue;
    outputs.set(ws.subarray(hNext + b * U, hNext + b * U + U), (b * T + s) * U);
  }
}

/** The last step's output per row (what writeOutputs would have written at step T-1): the final
 * state when that step was valid or repeats an earlier valid step's output, else zeros. */
function writeLastOutputs(ctx: SequenceContext, h: Float32Array, outputs: Float32Array, zeroOutputForMask: boolean): void {
  const { B, T, U } = ctx;
  if (T === 0) return;
  for (let b = 0; b < B; b++) {
    const emits = ctx.valid[(T - 1) * B + b] === 1 || (!zeroOutputForMask && ctx.firstValid[b] < T);
    if (emits) outputs.set(h.subarray(b * U, b * U + U), b * U);
  }
}

/** Inference keeps one slot: the states after the step become the states before the next. */
function moveStatesBack(ctx: SequenceContext): void {
  const BU = ctx.B * ctx.U;
  const { h, c } = ctx.layout;
  ctx.ws.copyWithin(h, h + BU, h + 2 * BU);
  if (c >= 0) ctx.ws.copyWithin(c, c + BU, c + 2 * BU);
}
