/**
 * TypeScript-side checks of a kernel request before it reaches the addon. The addon checks the same
 * things again (it must never trust its caller); checking here as well gives errors with the same
 * wording whichever implementation runs, and catches non-integer sizes early.
 */
import { ACTIVATIONS, GATES, type BackwardRequest, type CellKind, type ForwardRequest } from '../spec';

const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];

function checkDim(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name}: expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** True for a Float32Array from any realm (arrays made by the addon or another vm context fail instanceof). */
export function isFloat32Array(value: unknown): value is Float32Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Float32Array]';
}

/** Checks that `value` is a Float32Array of the given shape (or null when allowed). Same wording as
 * the addon: "recurrentKernel: expected 256x1024 = 262144 floats, got 1000". */
export function checkArray(name: string, value: unknown, shape: number[], nullable: boolean): void {
  const expected = shape.reduce((a, b) => a * b, 1);
  const described = `${shape.join('x')} = ${expected}`;
  if (value === null || value === undefined) {
    if (nullable) return;
    throw new Error(`${name}: expected a Float32Array of ${described} floats, got ${String(value)}`);
  }
  if (!isFloat32Array(value)) {
    const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
    throw new Error(`${name}: expected a Float32Array of ${described} floats, got ${kind}`);
  }
  if (value.length !== expected) {
    throw new Error(`${name}: expected ${described} floats, got ${value.length}`);
  }
}

function checkActivation(name: string, value: unknown): void {
  if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new Error(`${name}: unknown activation '${String(value)}'; expected one of ${ACTIVATIONS.join(', ')}`);
  }
}

export function validateForwardRequest(req: ForwardRequest): void {
  if (typeof req.cell !== 'string' || !CELLS.includes(req.cell)) {
    throw new Error(`cell: unknown cell '${String(req.cell)}'; expected one of ${CELLS.join(', ')}`);
  }
  const B = checkDim('batch', req.batch);
  const T = checkDim('time', req.time);
  const F = checkDim('features', req.features);
  const U = checkDim('units', req.units);
  const G = GATES[req.cell];
  checkActivation('activation', req.activation);
  checkActivation('recurrentActivation', req.recurrentActivation);
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

export function validateBackwardRequest(req: BackwardRequest, workspaceSize: number): void {
  validateForwardRequest(req);
  const B = req.batch;
  const U = req.units;
  checkArray('workspace', req.workspace, [workspaceSize], false);
  checkArray('dOutputs', req.dOutputs, [B, req.time, U], true);
  checkArray('dH', req.dH, [B, U], true);
  if (req.cell === 'lstm') checkArray('dC', req.dC, [B, U], true);
}
