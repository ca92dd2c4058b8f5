/**
 * The input side of every cell for all timesteps at once: one [B*T, F] x [F, G*U] product, the
 * cheapest place for most of the work, instead of T small ones.
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

/** (x*idm)·K + b_in as [B*T, G*U]. */
export function projectInputs(req: ForwardRequest, gateWidth: number): Float32Array {
  const rows = req.batch * req.time;
  const out = new Float32Array(rows * gateWidth);
  if (req.bias !== null) {
    const inputBias = req.bias.subarray(0, gateWidth); // row 0 of the gru resetAfter [2, 3U] bias
    for (let r = 0; r < rows; r++) out.set(inputBias, r * gateWidth);
  }
  addMatMul(rows, gateWidth, req.features, droppedInputs(req), 0, req.features, req.kernel, 0, gateWidth, out, 0, gateWidth);
  return out;
}
