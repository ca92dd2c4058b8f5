/** Forward pass over the whole sequence; fills the workspace backward() reads. */
import { GATES, type ForwardRequest, type ForwardResult } from '../spec';
import { CELL_STEPS } from './cell_steps';
import { projectInputs } from './input_projection';
import { createSequenceContext, loadRecurrentInput, type SequenceContext } from './sequence_context';
import { workspaceLayout } from './workspace_layout';

export function forwardSequence(req: ForwardRequest): ForwardResult {
  const { batch: B, time: T, units: U } = req;
  const BU = B * U;
  const layout = workspaceLayout(req, req.resetAfter);
  const ws = new Float32Array(layout.size);
  if (req.initialH !== null) ws.set(req.initialH, layout.h);
  if (req.cell === 'lstm' && req.initialC !== null) ws.set(req.initialC, layout.c);
  const ctx = createSequenceContext(req, ws);
  const xProj = projectInputs(req, GATES[req.cell] * U);
  const step = CELL_STEPS[req.cell].forward;
  const outputs = new Float32Array(B * T * U);
  for (let s = 0; s < T; s++) {
    const t = req.goBackwards ? T - 1 - s : s;
    loadRecurrentInput(ctx, s);
    step(ctx, s, t, xProj);
    writeOutputs(ctx, s, outputs, req.zeroOutputForMask);
  }
  const last = layout.h + T * BU;
  return {
    outputs,
    h: ws.slice(last, last + BU),
    c: req.cell === 'lstm' ? ws.slice(layout.c + T * BU, layout.c + (T + 1) * BU) : null,
    workspace: req.saveWorkspace === false ? new Float32Array(0) : ws,
  };
}

/** Output of step s: the new h when valid; at a masked step zeros, or the last emitted output (which
 * is the carried state once the row has had a valid step). */
function writeOutputs(ctx: SequenceContext, s: number, outputs: Float32Array, zeroOutputForMask: boolean): void {
  const { B, T, U, ws, layout } = ctx;
  const hNext = layout.h + (s + 1) * B * U;
  for (let b = 0; b < B; b++) {
    const repeat = !zeroOutputForMask && ctx.firstValid[b] < s;
    if (!ctx.valid[s * B + b] && !repeat) continue;
    outputs.set(ws.subarray(hNext + b * U, hNext + b * U + U), (b * T + s) * U);
  }
}
