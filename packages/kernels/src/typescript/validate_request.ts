/**
 * The checks of a request to the TypeScript kernels (the boundary of this implementation; the
 * native addon checks its own, in C++, with the same wording). A request is first copied into a
 * plain object, each field read once, so a property getter cannot hand the kernels other values
 * than the ones checked.
 */
import {
  ACTIVATIONS, BACKWARD_REQUEST_FIELDS, FORWARD_REQUEST_FIELDS, GATES, type BackwardRequest, type CellKind, type ForwardRequest,
} from '../spec';
import { checkArray, checkDim, checkFlag, isFloat32Array, shownName, snapshot } from './request_checks';

const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];

function checkActivation(name: string, value: unknown): void {
  if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new Error(`${name}: unknown activation '${shownName(value)}'; expected one of ${ACTIVATIONS.join(', ')}`);
  }
}

/** The request as a plain object, checked; the kernels read only this copy. */
export function validateForwardRequest(request: ForwardRequest): ForwardRequest {
  const req = snapshot<ForwardRequest>(request, FORWARD_REQUEST_FIELDS, 'forward');
  checkForwardFields(req);
  return req;
}

function checkForwardFields(req: ForwardRequest): void {
  if (typeof req.cell !== 'string' || !CELLS.includes(req.cell)) {
    throw new Error(`cell: unknown cell '${shownName(req.cell)}'; expected one of ${CELLS.join(', ')}`);
  }
  const B = checkDim('batch', req.batch);
  const T = checkDim('time', req.time);
  const F = checkDim('features', req.features);
  const U = checkDim('units', req.units);
  const G = GATES[req.cell];
  checkActivation('activation', req.activation);
  checkActivation('recurrentActivation', req.recurrentActivation);
  for (const flag of ['goBackwards', 'zeroOutputForMask', 'resetAfter', 'returnSequences', 'returnState', 'saveWorkspace'] as const) {
    checkFlag(flag, req[flag]);
  }
  if (!Number.isSafeInteger(B * T * F) || !Number.isSafeInteger(B * T * G * U) || !Number.isSafeInteger(U * G * U)) {
    throw new Error(`x: shape ${B}x${T}x${F} with ${G}x${U} gate columns is too large`);
  }
  checkArray('x', req.x, [B, T, F], false);
  checkArray('kernel', req.kernel, [F, G * U], false);
  checkArray('recurrentKernel', req.recurrentKernel, [U, G * U], false);
  const gruResetAfter = req.cell === 'gru' && req.resetAfter;
  checkArray('bias', req.bias, gruResetAfter ? [2, G * U] : [G * U], true);
  checkArray('initialH', req.initialH, [B, U], true);
  if (req.cell === 'lstm') checkArray('initialC', req.initialC, [B, U], true);
  checkArray('mask', req.mask, [B, T], true);
  checkArray('inputDropoutMask', req.inputDropoutMask, [B, F], true);
  checkArray('recurrentDropoutMask', req.recurrentDropoutMask, [B, U], true);
}

/** Same wording as the addon. */
function withoutWorkspace(expected: number): string {
  return `workspace: expected ${expected} floats, got none: the forward kept no workspace (saveWorkspace: false, as when ` +
    'no gradient tape records); run it inside tf.grad, tf.variableGrads or optimizer.minimize';
}

/** The request as a plain object, checked; `workspaceSize` gives the workspace length from its sizes. */
export function validateBackwardRequest(request: BackwardRequest, workspaceSize: (req: BackwardRequest) => number): BackwardRequest {
  const req = snapshot<BackwardRequest>(request, BACKWARD_REQUEST_FIELDS, 'backward');
  checkForwardFields(req);
  checkFlag('computeInputGradient', req.computeInputGradient);
  const B = req.batch;
  const U = req.units;
  const expected = workspaceSize(req);
  if (isFloat32Array(req.workspace) && req.workspace.length === 0 && expected > 0) throw new Error(withoutWorkspace(expected));
  checkArray('workspace', req.workspace, [expected], false);
  checkArray('dOutputs', req.dOutputs, req.returnSequences === false ? [B, U] : [B, req.time, U], true);
  checkArray('dH', req.dH, [B, U], true);
  if (req.cell === 'lstm') checkArray('dC', req.dC, [B, U], true);
  return req;
}
