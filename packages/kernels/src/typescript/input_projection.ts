/**
 * The input side of every cell: for all timesteps at once, one [B*T, F] x [F, G*U] product, the
 * cheapest place for most of the work, instead of T small ones; or, in inference, one step's
 * [B, F] x [F, G*U] at a time, so that memory does not grow with the sequence.
 */
import type { ForwardRequest } from '../spec';
import { addMatMul } from './matmul';

/** x times the input dropout multipliers (x itself when there are none). Rows are b*T + t. */
export function droppedInputs(req: ForwardRequest): Float32Array {
  const idm = req.inputDropoutMask;
  if (idm === null) return req.x;
  const { batch: B, time: T, features: F } = req;
  const out = new Float32Array(B * T * F);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * F;
      for (let f = 0; f < F; f++) out[row + f] = req.x[row + f] * idm[b * F + f];
    }
  }
  return out;
}

/** Fills every row of `out` (rows of gateWidth) with the input bias, or zeros without one. */
function fillInputBias(req: ForwardRequest, gateWidth: number, out: Float32Array): void {
  if (req.bias === null) {
    out.fill(0);
    return;
  }
  const inputBias = req.bias.subarray(0, gateWidth); // row 0 of the gru resetAfter [2, 3U] bias
  for (let r = 0; r < out.length; r += gateWidth) out.set(inputBias, r);
}

/** (x*idm)·K + b_in as [B*T, G*U]. */
export function projectInputs(req: ForwardRequest, gateWidth: number): Float32Array {
  const rows = req.batch * req.time;
  const out = new Float32Array(rows * gateWidth);
  fillInputBias(req, gateWidth, out);
  addMatMul(rows, gateWidth, req.features, droppedInputs(req), 0, req.features, req.kernel, 0, gateWidth, out, 0, gateWidth);
  return out;
}

/** (x[:, t]*idm)·K + b_in into `out` ([B, G*U]): the rows of time t, T rows apart in x. */
export function projectStepInputs(req: ForwardRequest, t: number, gateWidth: number, out: Float32Array): void {
  const F = req.features;
  fillInputBias(req, gateWidth, out);
  const x = req.inputDropoutMask === null ? req.x : droppedStepInputs(req, t);
  const offset = req.inputDropoutMask === null ? t * F : 0;
  const stride = req.inputDropoutMask === null ? req.time * F : F;
  addMatMul(req.batch, gateWidth, F, x, offset, stride, req.kernel, 0, gateWidth, out, 0, gateWidth);
}

/** The rows of time t times the input dropout multipliers, as [B, F]. */
function droppedStepInputs(req: ForwardRequest, t: number): Float32Array {
  const { batch: B, time: T, features: F } = req;
  const idm = req.inputDropoutMask as Float32Array;
  const out = new Float32Array(B * F);
  for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) out[b * F + f] = req.x[(b * T + t) * F + f] * idm[b * F + f];
  return out;
}
