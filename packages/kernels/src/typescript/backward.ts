/** Backpropagation through time over the workspace of forwardSequence(). */
import { GATES, type BackwardRequest, type BackwardResult } from '../spec';
import { CELL_STEPS } from './cell_steps';
import { droppedInputs } from './input_projection';
import { addMatMulTransA, addMatMulTransB } from './matmul';
import { beginStep, createSequenceContext, type SequenceContext } from './sequence_context';
import type { GradientBuffers } from './step_types';

export function backwardSequence(req: BackwardRequest): BackwardResult {
  const { batch: B, time: T, features: F, units: U } = req;
  const GU = GATES[req.cell] * U;
  const ctx = createSequenceContext(req, req.workspace, true);
  const grads: GradientBuffers = {
    dh: req.dH === null ? new Float32Array(B * U) : Float32Array.from(req.dH),
    dc: req.cell !== 'lstm' ? null : req.dC === null ? new Float32Array(B * U) : Float32Array.from(req.dC),
    dRecurrentKernel: new Float32Array(U * GU),
    dRecurrentBias: ctx.resetAfter && req.bias !== null ? new Float32Array(GU) : null,
    dInputProjection: new Float32Array(B * T * GU),
  };
  const step = CELL_STEPS[req.cell].backward;
  const dhNorms = new Float32Array(T);
  const owed = new Float32Array(B * U);
  const returnSequences = req.returnSequences !== false;
  for (let s = T - 1; s >= 0; s--) {
    const t = req.goBackwards ? T - 1 - s : s;
    beginStep(ctx, s);
    // Without returnSequences only the last step's output was returned: its gradient is [B, U].
    const dOutputs = returnSequences || s === T - 1 ? req.dOutputs : null;
    addOutputGradient(ctx, s, dOutputs, returnSequences ? T : 1, returnSequences ? s : 0, grads.dh, owed, req.zeroOutputForMask);
    dhNorms[s] = norm(grads.dh);
    step(ctx, s, t, grads);
  }
  const dProj = grads.dInputProjection;
  const wantDx = req.computeInputGradient !== false;
  const dx = new Float32Array(wantDx ? B * T * F : 0);
  if (wantDx) addMatMulTransB(B * T, F, GU, dProj, 0, GU, req.kernel, 0, GU, dx, 0, F);
  const idm = req.inputDropoutMask;
  if (idm !== null && wantDx) {
    for (let r = 0; r < B * T; r++) {
      const b = Math.floor(r / T);
      for (let f = 0; f < F; f++) dx[r * F + f] *= idm[b * F + f];
    }
  }
  const dKernel = new Float32Array(F * GU);
  addMatMulTransA(F, GU, B * T, droppedInputs(req), 0, F, dProj, 0, GU, dKernel, 0, GU);
  return {
    dx,
    dKernel,
    dRecurrentKernel: grads.dRecurrentKernel,
    dBias: req.bias === null ? null : biasGradient(dProj, B * T, GU, grads.dRecurrentBias),
    dInitialH: grads.dh,
    dInitialC: grads.dc,
    dhNorms,
  };
}

/**
 * Adds the gradient of the outputs emitted at step s (none when dOutputs is null). A valid step
 * emits its new state, so the gradient joins dh. A masked step after the row's first valid step
 * re-emits the last valid output: that is a separate path to the last valid step, not a use of the
 * carried state, so its gradient is owed to that step and joins dh there (this matters for dhNorms,
 * which measure the gradient reaching the state itself). Masked steps before the first valid step, or
 * with zeroOutputForMask, emit constants and pass nothing back.
 */
function addOutputGradient(
  ctx: SequenceContext, s: number, dOutputs: Float32Array | null, stepsInOutputs: number, position: number,
  dh: Float32Array, owed: Float32Array, zeroOutputForMask: boolean,
): void {
  const { B, U } = ctx;
  for (let b = 0; b < B; b++) {
    const from = (b * stepsInOutputs + position) * U;
    const row = b * U;
    if (ctx.stepValid[b]) {
      for (let u = 0; u < U; u++) {
        dh[row + u] += (dOutputs === null ? 0 : dOutputs[from + u]) + owed[row + u];
        owed[row + u] = 0;
      }
    } else if (dOutputs !== null && !zeroOutputForMask && ctx.firstValid[b] < s) {
      for (let u = 0; u < U; u++) owed[row + u] += dOutputs[from + u];
    }
  }
}

function biasGradient(dProj: Float32Array, rows: number, GU: number, dRecurrentBias: Float32Array | null): Float32Array {
  const out = new Float32Array(dRecurrentBias === null ? GU : 2 * GU);
  for (let r = 0; r < rows; r++) {
    const from = r * GU;
    for (let j = 0; j < GU; j++) out[j] += dProj[from + j];
  }
  if (dRecurrentBias !== null) out.set(dRecurrentBias, GU);
  return out;
}

function norm(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return Math.sqrt(sum);
}
