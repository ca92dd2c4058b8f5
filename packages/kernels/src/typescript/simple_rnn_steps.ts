/** SimpleRNN: h = act(x·K + b + (h_prev*rdm)·R). */
import { activateInPlace, scaleByDerivative } from './activations';
import { addMatMul, addMatMulTransA, addMatMulTransB } from './matmul';
import { carryMaskedStates, projectionRow, type SequenceContext } from './sequence_context';
import type { GradientBuffers } from './step_types';

export function simpleRnnForwardStep(ctx: SequenceContext, slot: number, t: number, xProj: Float32Array): void {
  const { B, U, ws, layout } = ctx;
  const pre = ctx.gatesScratch;
  for (let b = 0; b < B; b++) {
    const from = projectionRow(ctx, b, t);
    pre.set(xProj.subarray(from, from + U), b * U);
  }
  addMatMul(B, U, U, ctx.hd, 0, U, ctx.recurrentKernel, 0, U, pre, 0, U);
  const hNext = layout.h + (slot + 1) * B * U;
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue;
    activateInPlace(ctx.activation, pre, b * U, U);
    ws.set(pre.subarray(b * U, b * U + U), hNext + b * U);
  }
  carryMaskedStates(ctx, slot, layout.h);
}

export function simpleRnnBackwardStep(ctx: SequenceContext, slot: number, t: number, g: GradientBuffers): void {
  const { B, T, U, ws, layout } = ctx;
  const dPre = ctx.gatesScratch;
  const hNext = layout.h + (slot + 1) * B * U;
  for (let b = 0; b < B; b++) {
    const row = b * U;
    if (!ctx.stepValid[b]) {
      dPre.fill(0, row, row + U);
      continue;
    }
    dPre.set(g.dh.subarray(row, row + U), row);
    scaleByDerivative(ctx.activation, dPre, row, ws, hNext + row, U);
    g.dInputProjection.set(dPre.subarray(row, row + U), (b * T + t) * U);
  }
  addMatMulTransA(U, U, B, ctx.hd, 0, U, dPre, 0, U, g.dRecurrentKernel, 0, U);
  const dhPrev = ctx.unitsScratch.fill(0);
  addMatMulTransB(B, U, U, dPre, 0, U, ctx.recurrentKernel, 0, U, dhPrev, 0, U);
  const rdm = ctx.recurrentDropoutMask;
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue; // masked: the state passed through unchanged, so does dh
    const row = b * U;
    for (let u = 0; u < U; u++) g.dh[row + u] = rdm === null ? dhPrev[row + u] : dhPrev[row + u] * rdm[row + u];
  }
}
