/**
 * Softmax over rows of `width` values: the arithmetic of the 'SoftmaxLastAxis' kernel on plain arrays
 * (the kernel calls it), for callers that hold a step's values as arrays (SequenceStepper). The row
 * maximum is subtracted so exp cannot overflow; NaN spreads to its whole row, as in tfjs; the
 * exponentials are expNonPositive's; the sum is taken in float64 and each value scaled by its inverse.
 */
import { expNonPositive } from '../registration/exp_non_positive';

/** Writes the softmax of each row of `values` into `out` (which may be `values` itself). */
export function softmaxRows(values: Float32Array, width: number, out: Float32Array = values): void {
  if (!Number.isInteger(width) || width < 1 || values.length % width !== 0 || out.length !== values.length) {
    throw new Error(`softmaxRows: expected rows of ${width} values and an output of the same length, got ${values.length} values and an output of ${out.length}.`);
  }
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
