/**
 * Softmax over rows of `width` values: the arithmetic of the 'SoftmaxLastAxis' kernel on plain arrays
 * (the kernel calls it), for callers that hold a step's values as arrays (SequenceStepper). The row
 * maximum is subtracted so exp cannot overflow; NaN spreads to its whole row, as in tfjs; the
 * exponentials are expNonPositive's; the sum is taken in float64 and each value scaled by its inverse.
 * With the native kernels the addon runs the same operations in the same order in double precision (the
 * same bits, tested): rows of 128 x 60 took about 57 us against the JavaScript loop's 90-117.
 */
import { activeImplementation, rowOpsFor } from '../backend/implementation_choice';
import { isPlainFloat32Array } from '../typescript/request_checks';
import { typescriptRowOps } from '../typescript/row_ops';

/** Writes the softmax of each row of `values` into `out` (which may be `values` itself). */
export function softmaxRows(values: Float32Array, width: number, out: Float32Array = values): void {
  if (!Number.isInteger(width) || width < 1 || values.length % width !== 0 || out.length !== values.length) {
    throw new Error(`softmaxRows: expected rows of ${width} values and an output of the same length, got ${values.length} values and an output of ${out.length}.`);
  }
  if (values.length === 0) return;
  // The addon takes only arrays over plain buffers; the loop takes every other array.
  const rowOps = isPlainFloat32Array(values) && isPlainFloat32Array(out) ? rowOpsFor(activeImplementation().name) : typescriptRowOps;
  rowOps.softmaxRows(values, width, out);
}
