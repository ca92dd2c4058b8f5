/** The mask, rearranged for the step loops: which (step, row) pairs are valid in processing order. */

export interface StepValidity {
  /** valid[s * B + b] = 1 when row b consumes an input at processing step s. */
  valid: Uint8Array;
  /** First processing step at which row b is valid (T when it never is): masked steps before it emit
   * zeros, masked steps after it repeat the last emitted output. */
  firstValid: Int32Array;
}

export function stepValidity(mask: Float32Array | null, B: number, T: number, goBackwards: boolean): StepValidity {
  const valid = new Uint8Array(T * B);
  const firstValid = new Int32Array(B).fill(T);
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const ok = mask === null || mask[b * T + t] !== 0;
      if (ok) {
        valid[s * B + b] = 1;
        if (firstValid[b] === T) firstValid[b] = s;
      }
    }
  }
  return { valid, firstValid };
}
