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

/** Checks that `value` is a Float32Array of rows*cols floats (or null when allowed). */
export function checkArray(name: string, value: unknown, rows: number, cols: number, nullable: boolean): void {
  if (value === null || value === undefined) {
    if (nullable) return;
    throw new Error(`${name}: expected a Float32Array of ${rows}x${cols} = ${rows * cols} floats, got ${String(value)}`);
  }
  if (!(value instanceof Float32Array)) {
    const kind = (value as object)?.constructor?.name ?? typeof value;
    throw new Error(`${name}: expected a Float32Array, got ${kind}`);
  }
  const expected = rows * cols;
  if (value.length !== expected) {
    throw new Error(`${name}: expected ${rows}x${cols} = ${expected} floats, got ${value.length}`);
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
  checkArray('x', req.x, B * T, F, false);
  if (req.x.length !== B * T * F) throw new Error(`x: expected ${B}x${T}x${F} = ${B * T * F} floats, got ${req.x.length}`);
  checkArray('kernel', req.kernel, F, G * U, false);
  checkArray('recurrentKernel', req.recurrentKernel, U, G * U, false);
  const gruResetAfter = req.cell === 'gru' && req.resetAfter;
  checkArray('bias', req.bias, gruResetAfter ? 2 : 1, G * U, true);
  checkArray('initialH', req.initialH, B, U, true);
  if (req.cell === 'lstm') checkArray('initialC', req.initialC, B, U, true);
  checkArray('mask', req.mask, B, T, true);
  checkArray('inputDropoutMask', req.inputDropoutMask, B, F, true);
  checkArray('recurrentDropoutMask', req.recurrentDropoutMask, B, U, true);
}

export function validateBackwardRequest(req: BackwardRequest, workspaceSize: number): void {
  validateForwardRequest(req);
  const B = req.batch;
  const U = req.units;
  checkArray('workspace', req.workspace, 1, workspaceSize, false);
  checkArray('dOutputs', req.dOutputs, B * req.time, U, true);
  checkArray('dH', req.dH, B, U, true);
  if (req.cell === 'lstm') checkArray('dC', req.dC, B, U, true);
}
