/**
 * One timestep in place (StepRequest of spec.ts) for the TypeScript kernels: the forward at time 1
 * from the state in h (and c), whose final state is then copied back. The checks and their wording
 * are the addon's (native/rnn_step_napi.cc).
 */
import { STEP_REQUEST_FIELDS, type StepRequest } from '../spec';
import { forwardSequence } from './forward';
import { checkArray, checkDim, sharesMemory, snapshot } from './request_checks';
import { validateForwardRequest } from './validate_request';

/** The state arrays are written over: one sharing memory with another argument would change an input. */
function refuseSharedState(req: StepRequest): void {
  const inputs: [string, Float32Array | null][] = [
    ['x', req.x], ['kernel', req.kernel], ['recurrentKernel', req.recurrentKernel], ['bias', req.bias], ['h', req.h], ['c', req.c],
  ];
  const states: [string, Float32Array | null][] = [['h', req.h], ['c', req.c]];
  for (const [stateName, state] of states) {
    for (const [name, other] of inputs) {
      if (state === null || other === null || name === stateName || state.length === 0 || other.length === 0) continue;
      if (sharesMemory(state, other)) {
        throw new Error(`${stateName}: shares memory with ${name}; the step writes the new state over it, so it needs an array of its own`);
      }
    }
  }
}

export function stepInPlace(request: StepRequest): void {
  const req = snapshot<StepRequest>(request, STEP_REQUEST_FIELDS, 'step');
  // x is [B, F] here ([B, 1, F] to the forward): checked first, so that its message gives the step's shape.
  checkArray('x', req.x, [checkDim('batch', req.batch), checkDim('features', req.features)], false);
  const forward = validateForwardRequest({
    cell: req.cell, batch: req.batch, time: 1, features: req.features, units: req.units,
    activation: req.activation, recurrentActivation: req.recurrentActivation, goBackwards: false, zeroOutputForMask: false,
    resetAfter: req.resetAfter, returnSequences: false, returnState: true, saveWorkspace: false,
    x: req.x, kernel: req.kernel, recurrentKernel: req.recurrentKernel, bias: req.bias,
    initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
  });
  const B = checkDim('batch', req.batch), U = checkDim('units', req.units);
  checkArray('h', req.h, [B, U], false);
  if (req.cell === 'lstm') checkArray('c', req.c, [B, U], false);
  else if (req.c !== null && req.c !== undefined) throw new TypeError('c: only an LSTM carries a cell state; pass null for simple_rnn and gru');
  else req.c = null;
  refuseSharedState(req);
  const result = forwardSequence({ ...forward, initialH: req.h, initialC: req.c });
  req.h.set(result.h);
  if (req.c && result.c) req.c.set(result.c);
}
