/**
 * The contract of the row gathers and window maxima behind the embedding lookup and 1-D max pooling,
 * shared by the native addon (native/row_ops.cc) and the TypeScript loops (typescript/row_ops.ts): flat
 * arrays and sizes in, fresh flat arrays out, the same bits from both.
 *
 * Max pooling: window t covers steps [t*strides - padBefore, t*strides - padBefore + poolSize) of axis 1
 * of x [batch, steps, channels]; steps outside [0, steps) are padding, which never wins (a window of
 * padding only gives -Infinity and no gradient). A NaN in a window makes its maximum NaN and passes no
 * gradient; otherwise the window's dy goes to its first maximum (TensorFlow's MaxPoolGrad).
 */

export interface MaxPool1DRequest {
  batch: number;
  steps: number;
  channels: number;
  poolSize: number;
  strides: number;
  padBefore: number;
  outLength: number;
  x: Float32Array; // [batch, steps, channels]
}

export interface MaxPool1DBackwardRequest extends MaxPool1DRequest {
  dy: Float32Array; // [batch, outLength, channels]
}

/** The fields of a max-pooling request in the order the addon takes them as arguments. */
export const MAX_POOL_1D_FIELDS = [
  'batch', 'steps', 'channels', 'poolSize', 'strides', 'padBefore', 'outLength', 'x',
] as const satisfies readonly (keyof MaxPool1DRequest)[];

export const MAX_POOL_1D_BACKWARD_FIELDS = [...MAX_POOL_1D_FIELDS, 'dy'] as const satisfies readonly (keyof MaxPool1DBackwardRequest)[];

export interface RowOpsImplementation {
  readonly name: 'native' | 'typescript';
  /** [rows.length, width]: row rows[i] of table [tableRows, width] at i; every row in [0, tableRows). */
  gatherRows(table: Float32Array, tableRows: number, width: number, rows: Int32Array): Float32Array;
  /** [tableRows, width]: zeros, then row i of values [rows.length, width] added into row rows[i], i ascending. */
  scatterAddRows(values: Float32Array, rows: Int32Array, tableRows: number, width: number): Float32Array;
  /** [batch, outLength, channels]: each window's maximum. */
  maxPool1dForward(req: MaxPool1DRequest): Float32Array;
  /** dx [batch, steps, channels]. */
  maxPool1dBackward(req: MaxPool1DBackwardRequest): Float32Array;
  /** The softmax of each row of `width` values into `out` (which may be `values`), the same bits either way
   * (src/ops/softmax_rows.ts); the caller has checked the lengths. */
  softmaxRows(values: Float32Array, width: number, out: Float32Array): void;
}
