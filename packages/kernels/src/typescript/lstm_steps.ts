/**
 * LSTM, gate blocks i, f, c(=g), o: z = (x*idm)·K + b + (h_prev*rdm)·R;
 * c = ra(f)*c_prev + ra(i)*act(g); h = ra(o)*act(c).
 */
import { activateInPlace, scaleByDerivative } from './activations';
import { addMatMul, addMatMulTransA, addMatMulTransB } from './matmul';
import { carryMaskedStates, projectionRow, type SequenceContext } from './sequence_context';
import type { GradientBuffers } from './step_types';

export function lstmForwardStep(ctx: SequenceContext, slot: number, t: number, xProj: Float32Array): void {
  const { B, U, GU, ws, layout } = ctx;
  const BU = B * U;
  const pre = ctx.gatesScratch;
  for (let b = 0; b < B; b++) {
    const from = projectionRow(ctx, b, t);
    pre.set(xProj.subarray(from, from + GU), b * GU);
  }
  addMatMul(B, GU, U, ctx.hd, 0, U, ctx.recurrentKernel, 0, GU, pre, 0, GU);
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue;
    const p = b * GU;
    activateInPlace(ctx.recurrentActivation, pre, p, 2 * U);
    activateInPlace(ctx.activation, pre, p + 2 * U, U);
    activateInPlace(ctx.recurrentActivation, pre, p + 3 * U, U);
    const gates = layout.gates + (slot * B + b) * GU;
    ws.set(pre.subarray(p, p + GU), gates);
    const cPrev = layout.c + slot * BU + b * U;
    const cNext = cPrev + BU;
    const actC = layout.actC + (slot * B + b) * U;
    for (let u = 0; u < U; u++) {
      const c = pre[p + U + u] * ws[cPrev + u] + pre[p + u] * pre[p + 2 * U + u];
      ws[cNext + u] = c;
      ws[actC + u] = c;
    }
    activateInPlace(ctx.activation, ws, actC, U);
    const hNext = layout.h + (slot + 1) * BU + b * U;
    for (let u = 0; u < U; u++) ws[hNext + u] = pre[p + 3 * U + u] * ws[actC + u];
  }
  carryMaskedStates(ctx, slot, layout.h);
  carryMaskedStates(ctx, slot, layout.c);
}

export function lstmBackwardStep(ctx: SequenceContext, slot: number, t: number, g: GradientBuffers): void {
  const { B, T, U, GU, ws, layout } = ctx;
  const BU = B * U;
  const dPre = ctx.gatesScratch;
  const dh = g.dh;
  const dc = g.dc as Float32Array;
  for (let b = 0; b < B; b++) {
    const d = b * GU;
    if (!ctx.stepValid[b]) {
      dPre.fill(0, d, d + GU);
      continue;
    }
    const row = b * U;
    const gates = layout.gates + (slot * B + b) * GU;
    const actC = layout.actC + (slot * B + b) * U;
    const cPrev = layout.c + slot * BU + row;
    // dh * o * act'(c), staged in the i block before that block is overwritten.
    for (let u = 0; u < U; u++) dPre[d + u] = dh[row + u] * ws[gates + 3 * U + u];
    scaleByDerivative(ctx.activation, dPre, d, ws, actC, U);
    for (let u = 0; u < U; u++) {
      const dcTotal = dc[row + u] + dPre[d + u];
      dPre[d + u] = dcTotal * ws[gates + 2 * U + u]; // d i = dc * g
      dPre[d + U + u] = dcTotal * ws[cPrev + u]; // d f = dc * c_prev
      dPre[d + 2 * U + u] = dcTotal * ws[gates + u]; // d g = dc * i
      dPre[d + 3 * U + u] = dh[row + u] * ws[actC + u]; // d o = dh * act(c)
      dc[row + u] = dcTotal * ws[gates + U + u];
    }
    scaleByDerivative(ctx.recurrentActivation, dPre, d, ws, gates, 2 * U);
    scaleByDerivative(ctx.activation, dPre, d + 2 * U, ws, gates + 2 * U, U);
    scaleByDerivative(ctx.recurrentActivation, dPre, d + 3 * U, ws, gates + 3 * U, U);
    g.dInputProjection.set(dPre.subarray(d, d + GU), (b * T + t) * GU);
  }
  addMatMulTransA(U, GU, B, ctx.hd, 0, U, dPre, 0, GU, g.dRecurrentKernel, 0, GU);
  const dhPrev = ctx.unitsScratch.fill(0);
  addMatMulTransB(B, U, GU, dPre, 0, GU, ctx.recurrentKernel, 0, GU, dhPrev, 0, U);
  const rdm = ctx.recurrentDropoutMask;
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue;
    const row = b * U;
    for (let u = 0; u < U; u++) dh[row + u] = rdm === null ? dhPrev[row + u] : dhPrev[row + u] * rdm[row + u];
  }
}
