/**
 * The checks of a request to the TypeScript kernels (the boundary of this implementation; the
 * native addon checks its own, in C++, with the same wording). A request is first copied into a
 * plain object, each field read once, so a property getter cannot hand the kernels other values
 * than the ones checked.
 */
import {
  ACTIVATIONS, BACKWARD_REQUEST_FIELDS, FORWARD_REQUEST_FIELDS, GATES, type BackwardRequest, type CellKind, type ForwardRequest,
} from '../spec';

const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];

function checkDim(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name}: expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** True for a Float32Array from any realm (arrays made by the addon or another vm context fail instanceof). */
function isFloat32Array(value: unknown): value is Float32Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Float32Array]';
}

// The built-in getters, taken at load: later redefinitions of the properties do not reach them.
const bufferOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float32Array.prototype), 'buffer')!.get!;
const resizableGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
const isSharedBuffer = (buffer: unknown) => Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';

/** Refuses arrays whose memory another thread could change during the call, or that could shrink
 * (same wording as the addon). */
function refuseUnsafeBuffer(name: string, value: Float32Array): void {
  const buffer: unknown = bufferOf.call(value);
  if (isSharedBuffer(buffer)) {
    throw new TypeError(`${name}: arrays over a SharedArrayBuffer are not accepted (another thread could change them during the call); copy the data into a new Float32Array`);
  }
  if (resizableGetter !== undefined && resizableGetter.call(buffer) === true) {
    throw new TypeError(`${name}: arrays over a resizable ArrayBuffer are not accepted (it could shrink during the call); copy the data into a new Float32Array`);
  }
}

/** A plain copy of the named fields of a request, each read exactly once. */
function snapshot<T>(req: unknown, fields: readonly string[], fn: string): T {
  if (req === null || typeof req !== 'object') throw new TypeError(`${fn}: expected a request object`);
  const source = req as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const name of fields) copy[name] = source[name];
  return copy as T;
}

/** Checks that `value` is a Float32Array of the given shape (or null when allowed). Same wording as
 * the addon: "recurrentKernel: expected 256x1024 = 262144 floats, got 1000". */
function checkArray(name: string, value: unknown, shape: number[], nullable: boolean): void {
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
  refuseUnsafeBuffer(name, value);
  if (value.length !== expected) {
    throw new Error(`${name}: expected ${described} floats, got ${value.length}`);
  }
}

function checkFlag(name: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean`);
}

function checkActivation(name: string, value: unknown): void {
  if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new Error(`${name}: unknown activation '${String(value)}'; expected one of ${ACTIVATIONS.join(', ')}`);
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
    throw new Error(`cell: unknown cell '${String(req.cell)}'; expected one of ${CELLS.join(', ')}`);
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
