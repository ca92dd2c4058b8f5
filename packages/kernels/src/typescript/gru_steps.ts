/**
 * GRU, gate blocks z, r, h; h = z*h_prev + (1-z)*hh.
 * resetAfter:  inner = (h_prev*rdm)·R + b_rec; z,r = ra(x_zr + inner_zr); hh = act(x_h + r*inner_h)
 * resetBefore: z,r = ra(x_zr + (h_prev*rdm)·R_zr); hh = act(x_h + (r*(h_prev*rdm))·R_h)
 * (x_* already hold the input bias.) The carry z*h_prev uses the undropped state.
 */
import { activateInPlace, scaleByDerivative } from './activations';
import { addMatMul, addMatMulTransA, addMatMulTransB } from './matmul';
import { carryMaskedStates, projectionRow, type SequenceContext } from './sequence_context';
import type { GradientBuffers } from './step_types';

export function gruForwardStep(ctx: SequenceContext, slot: number, t: number, xProj: Float32Array): void {
  const { B, U, GU, ws, layout } = ctx;
  const BU = B * U;
  const R = ctx.recurrentKernel;
  const inner = ctx.gatesScratch;
  if (ctx.resetAfter) {
    if (ctx.recurrentBias === null) inner.fill(0);
    else for (let b = 0; b < B; b++) inner.set(ctx.recurrentBias, b * GU);
    addMatMul(B, GU, U, ctx.hd, 0, U, R, 0, GU, inner, 0, GU);
  } else {
    inner.fill(0);
    addMatMul(B, 2 * U, U, ctx.hd, 0, U, R, 0, GU, inner, 0, GU);
  }
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue;
    const x = projectionRow(ctx, b, t);
    const p = b * GU;
    const gates = layout.gates + (slot * B + b) * GU;
    for (let j = 0; j < 2 * U; j++) ws[gates + j] = xProj[x + j] + inner[p + j];
    activateInPlace(ctx.recurrentActivation, ws, gates, 2 * U);
  }
  let candidateInner: Float32Array; // the recurrent term inside hh, per row, stride U
  let candidateOffset: (b: number) => number;
  if (ctx.resetAfter) {
    candidateInner = inner;
    candidateOffset = (b) => b * GU + 2 * U;
  } else {
    const resetState = ctx.unitsScratch.fill(0);
    for (let b = 0; b < B; b++) {
      if (!ctx.stepValid[b]) continue;
      const r = layout.gates + (slot * B + b) * GU + U;
      for (let u = 0; u < U; u++) resetState[b * U + u] = ws[r + u] * ctx.hd[b * U + u];
    }
    candidateInner = ctx.unitsScratch2.fill(0);
    addMatMul(B, U, U, resetState, 0, U, R, 2 * U, GU, candidateInner, 0, U);
    candidateOffset = (b) => b * U;
  }
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue;
    const x = projectionRow(ctx, b, t) + 2 * U;
    const gates = layout.gates + (slot * B + b) * GU;
    const ci = candidateOffset(b);
    if (ctx.resetAfter) {
      const keep = layout.innerH + (slot * B + b) * U;
      for (let u = 0; u < U; u++) {
        ws[keep + u] = candidateInner[ci + u];
        ws[gates + 2 * U + u] = xProj[x + u] + ws[gates + U + u] * candidateInner[ci + u];
      }
    } else {
      for (let u = 0; u < U; u++) ws[gates + 2 * U + u] = xProj[x + u] + candidateInner[ci + u];
    }
    activateInPlace(ctx.activation, ws, gates + 2 * U, U);
    const hPrev = layout.h + slot * BU + b * U;
    const hNext = hPrev + BU;
    for (let u = 0; u < U; u++) {
      const z = ws[gates + u];
      ws[hNext + u] = z * ws[hPrev + u] + (1 - z) * ws[gates + 2 * U + u];
    }
  }
  carryMaskedStates(ctx, slot, layout.h);
}

export function gruBackwardStep(ctx: SequenceContext, slot: number, t: number, g: GradientBuffers): void {
  const { B, T, U, GU, ws, layout } = ctx;
  const BU = B * U;
  const R = ctx.recurrentKernel;
  const dPre = ctx.gatesScratch; // per row: [dz, dr, d(hh pre-activation)]
  const dh = g.dh;
  // Update gate and candidate, which do not depend on the reset gate's gradient.
  for (let b = 0; b < B; b++) {
    const d = b * GU;
    if (!ctx.stepValid[b]) {
      dPre.fill(0, d, d + GU);
      continue;
    }
    const row = b * U;
    const gates = layout.gates + (slot * B + b) * GU;
    const hPrev = layout.h + slot * BU + row;
    for (let u = 0; u < U; u++) {
      const z = ws[gates + u];
      dPre[d + u] = dh[row + u] * (ws[hPrev + u] - ws[gates + 2 * U + u]);
      dPre[d + 2 * U + u] = dh[row + u] * (1 - z);
    }
    scaleByDerivative(ctx.recurrentActivation, dPre, d, ws, gates, U);
    scaleByDerivative(ctx.activation, dPre, d + 2 * U, ws, gates + 2 * U, U);
  }
  const dRecurrentInput = ctx.unitsScratch.fill(0); // gradient wrt h_prev*rdm
  if (ctx.resetAfter) {
    for (let b = 0; b < B; b++) {
      if (!ctx.stepValid[b]) continue;
      const d = b * GU;
      const gates = layout.gates + (slot * B + b) * GU;
      const keep = layout.innerH + (slot * B + b) * U;
      for (let u = 0; u < U; u++) dPre[d + U + u] = dPre[d + 2 * U + u] * ws[keep + u];
      scaleByDerivative(ctx.recurrentActivation, dPre, d + U, ws, gates + U, U);
      g.dInputProjection.set(dPre.subarray(d, d + GU), (b * T + t) * GU);
      // From here on the h block holds the gradient of inner_h = r * d(hh pre-activation).
      for (let u = 0; u < U; u++) dPre[d + 2 * U + u] *= ws[gates + U + u];
      if (g.dRecurrentBias !== null) for (let j = 0; j < GU; j++) g.dRecurrentBias[j] += dPre[d + j];
    }
    addMatMulTransA(U, GU, B, ctx.hd, 0, U, dPre, 0, GU, g.dRecurrentKernel, 0, GU);
    addMatMulTransB(B, U, GU, dPre, 0, GU, R, 0, GU, dRecurrentInput, 0, U);
  } else {
    // d(r*hd) = d(hh pre-activation) · R_h^T
    addMatMulTransB(B, U, U, dPre, 2 * U, GU, R, 2 * U, GU, dRecurrentInput, 0, U);
    const resetState = ctx.unitsScratch2.fill(0);
    for (let b = 0; b < B; b++) {
      if (!ctx.stepValid[b]) continue;
      const d = b * GU;
      const row = b * U;
      const gates = layout.gates + (slot * B + b) * GU;
      for (let u = 0; u < U; u++) {
        const r = ws[gates + U + u];
        const hd = ctx.hd[row + u];
        dPre[d + U + u] = dRecurrentInput[row + u] * hd;
        resetState[row + u] = r * hd;
        dRecurrentInput[row + u] *= r;
      }
      scaleByDerivative(ctx.recurrentActivation, dPre, d + U, ws, gates + U, U);
      g.dInputProjection.set(dPre.subarray(d, d + GU), (b * T + t) * GU);
    }
    addMatMulTransA(U, 2 * U, B, ctx.hd, 0, U, dPre, 0, GU, g.dRecurrentKernel, 0, GU);
    addMatMulTransA(U, U, B, resetState, 0, U, dPre, 2 * U, GU, g.dRecurrentKernel, 2 * U, GU);
    addMatMulTransB(B, U, 2 * U, dPre, 0, GU, R, 0, GU, dRecurrentInput, 0, U);
  }
  const rdm = ctx.recurrentDropoutMask;
  for (let b = 0; b < B; b++) {
    if (!ctx.stepValid[b]) continue;
    const row = b * U;
    const gates = layout.gates + (slot * B + b) * GU;
    for (let u = 0; u < U; u++) {
      const viaMatMul = rdm === null ? dRecurrentInput[row + u] : dRecurrentInput[row + u] * rdm[row + u];
      dh[row + u] = dh[row + u] * ws[gates + u] + viaMatMul;
    }
  }
}
