/** The row gathers and window maxima of row_ops_spec.ts as plain loops, with the addon's checks. */
import {
  MAX_POOL_1D_BACKWARD_FIELDS, MAX_POOL_1D_FIELDS, type MaxPool1DBackwardRequest, type MaxPool1DRequest, type RowOpsImplementation,
} from '../row_ops_spec';
import { checkArray, checkDim, checkPositive, snapshot } from './request_checks';
import { expNonPositive } from '../registration/exp_non_positive';

/** Same wording as the addon: the first row outside [0, tableRows). */
function checkRows(rows: unknown, tableRows: number): Int32Array {
  if (!(rows instanceof Int32Array)) throw new TypeError(`rows: expected an Int32Array, got ${rows === null ? 'null' : typeof rows}`);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0 || rows[i] >= tableRows) throw new Error(`rows: row ${rows[i]} (at position ${i}) is outside [0, ${tableRows})`);
  }
  return rows;
}

function gatherRows(table: Float32Array, tableRows: number, width: number, rows: Int32Array): Float32Array {
  checkArray('table', table, [checkDim('tableRows', tableRows), checkDim('width', width)], false);
  checkRows(rows, tableRows);
  const out = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) out.set(table.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  return out;
}

function scatterAddRows(values: Float32Array, rows: Int32Array, tableRows: number, width: number): Float32Array {
  checkRows(rows, checkDim('tableRows', tableRows));
  checkArray('values', values, [rows.length, checkDim('width', width)], false);
  const grad = new Float32Array(tableRows * width);
  for (let i = 0; i < rows.length; i++) {
    const to = rows[i] * width;
    const from = i * width;
    for (let d = 0; d < width; d++) grad[to + d] += values[from + d];
  }
  return grad;
}

function checkPoolRequest<T extends MaxPool1DRequest>(request: T, fields: readonly string[], fn: string): T {
  const req = snapshot<T>(request, fields, fn);
  const B = checkDim('batch', req.batch);
  const S = checkDim('steps', req.steps);
  const C = checkDim('channels', req.channels);
  checkPositive('poolSize', req.poolSize);
  checkPositive('strides', req.strides);
  checkDim('padBefore', req.padBefore);
  checkDim('outLength', req.outLength);
  checkArray('x', req.x, [B, S, C], false);
  return req;
}

/**
 * The maxima over steps [first, end) of rows `x` (row stride C, starting at row `base`), per channel,
 * into best; and into `where`, when given, the step of each first maximum. Once NaN, a maximum stays
 * NaN: v > NaN is false, and v !== v only for another NaN.
 */
function scanWindow(x: Float32Array, C: number, base: number, first: number, end: number, best: Float32Array, where: Int32Array | null): void {
  best.set(x.subarray((base + first) * C, (base + first + 1) * C));
  if (where) where.fill(first);
  for (let step = first + 1; step < end; step++) {
    const row = (base + step) * C;
    for (let c = 0; c < C; c++) {
      const v = x[row + c];
      if (v > best[c] || v !== v) {
        best[c] = v;
        if (where) where[c] = step;
      }
    }
  }
}

/** Calls visit(outRow, firstStep, endStep, b) for every window, with its real steps [firstStep, endStep). */
function forEachWindow(req: MaxPool1DRequest, visit: (outRow: number, first: number, end: number, b: number) => void): void {
  for (let b = 0; b < req.batch; b++) {
    for (let t = 0; t < req.outLength; t++) {
      const start = t * req.strides - req.padBefore;
      visit(b * req.outLength + t, Math.max(start, 0), Math.min(start + req.poolSize, req.steps), b);
    }
  }
}

function maxPool1dForward(request: MaxPool1DRequest): Float32Array {
  const req = checkPoolRequest(request, MAX_POOL_1D_FIELDS, 'maxPool1dForward');
  const C = req.channels;
  const out = new Float32Array(req.batch * req.outLength * C);
  forEachWindow(req, (outRow, first, end, b) => {
    const o = outRow * C;
    if (first >= end) out.fill(-Infinity, o, o + C);
    else scanWindow(req.x, C, b * req.steps, first, end, out.subarray(o, o + C), null);
  });
  return out;
}

function maxPool1dBackward(request: MaxPool1DBackwardRequest): Float32Array {
  const req = checkPoolRequest(request, MAX_POOL_1D_BACKWARD_FIELDS, 'maxPool1dBackward');
  const C = req.channels;
  checkArray('dy', req.dy, [req.batch, req.outLength, C], false);
  const { x, dy } = req;
  const dx = new Float32Array(x.length);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  forEachWindow(req, (outRow, first, end, b) => {
    if (first >= end) return;
    const base = b * req.steps;
    scanWindow(x, C, base, first, end, best, where);
    const o = outRow * C;
    for (let c = 0; c < C; c++) {
      if (best[c] !== best[c]) continue; // a window holding NaN passes no gradient
      dx[(base + where[c]) * C + c] += dy[o + c];
    }
  });
  return dx;
}

/**
 * The softmax of each row: the row maximum subtracted so exp cannot overflow (NaN spreads to its whole row, as in
 * tfjs), the exponentials expNonPositive's, the sum taken in float64 and each value scaled by its inverse.
 */
function softmaxRows(values: Float32Array, width: number, out: Float32Array): void {
  for (let start = 0; start < values.length; start += width) {
    const end = start + width;
    let max = -Infinity;
    let hasNaN = false;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v > max) max = v;
      else if (v !== v) hasNaN = true;
    }
    if (hasNaN) max = NaN;
    let sum = 0;
    for (let i = start; i < end; i++) {
      const e = expNonPositive(values[i] - max); // at most 0, or NaN
      out[i] = e;
      sum += e;
    }
    const inverse = 1 / sum;
    for (let i = start; i < end; i++) out[i] *= inverse;
  }
}

export const typescriptRowOps: RowOpsImplementation = { name: 'typescript', gatherRows, scatterAddRows, maxPool1dForward, maxPool1dBackward, softmaxRows };
