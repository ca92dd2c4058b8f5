/**
 * The element loops of the comparison kernels (float32 operands, bool result) and of LogicalAnd
 * (bool operands). Same conventions as binary_runs: one loop per operation so it is inlined, and
 * tfjs's arithmetic (1 where the JavaScript comparison holds, else 0, so NaN compares false except
 * under NotEqual; LogicalAnd stores `a && b` of the stored bytes).
 */
import type { Run } from './binary_runs';

export type ComparisonRun = Run<Float32Array, Uint8Array>;

function greaterRun(out: Uint8Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] > b[ib++] ? 1 : 0;
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x > b[ib++] ? 1 : 0; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] > y ? 1 : 0; }
}

function greaterEqualRun(out: Uint8Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] >= b[ib++] ? 1 : 0;
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x >= b[ib++] ? 1 : 0; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] >= y ? 1 : 0; }
}

function lessRun(out: Uint8Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] < b[ib++] ? 1 : 0;
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x < b[ib++] ? 1 : 0; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] < y ? 1 : 0; }
}

function lessEqualRun(out: Uint8Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] <= b[ib++] ? 1 : 0;
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x <= b[ib++] ? 1 : 0; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] <= y ? 1 : 0; }
}

function equalRun(out: Uint8Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] === b[ib++] ? 1 : 0;
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x === b[ib++] ? 1 : 0; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] === y ? 1 : 0; }
}

function notEqualRun(out: Uint8Array, o: number, n: number, a: Float32Array, ia: number, aStep: number, b: Float32Array, ib: number, bStep: number): void {
  const end = o + n;
  if (aStep === bStep) for (; o < end; o++) out[o] = a[ia++] !== b[ib++] ? 1 : 0;
  else if (aStep === 0) { const x = a[ia]; for (; o < end; o++) out[o] = x !== b[ib++] ? 1 : 0; }
  else { const y = b[ib]; for (; o < end; o++) out[o] = a[ia++] !== y ? 1 : 0; }
}

function logicalAndRun(out: Uint8Array, o: number, n: number, a: Uint8Array, ia: number, aStep: number, b: Uint8Array, ib: number, bStep: number): void {
  const end = o + n;
  // Both elements are read before `&&`, whose short circuit would otherwise skip an index step.
  let x: number, y: number;
  if (aStep === bStep) for (; o < end; o++) { x = a[ia++]; y = b[ib++]; out[o] = x && y; }
  else if (aStep === 0) { x = a[ia]; for (; o < end; o++) { y = b[ib++]; out[o] = x && y; } }
  else { y = b[ib]; for (; o < end; o++) { x = a[ia++]; out[o] = x && y; } }
}

/** Kernel name to its loop, for float32 operands. */
export const COMPARISON_RUNS: Readonly<Record<string, ComparisonRun>> = {
  Greater: greaterRun,
  GreaterEqual: greaterEqualRun,
  Less: lessRun,
  LessEqual: lessEqualRun,
  Equal: equalRun,
  NotEqual: notEqualRun,
};

export const LOGICAL_AND_RUN: Run<Uint8Array, Uint8Array> = logicalAndRun;
