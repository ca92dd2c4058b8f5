/**
 * Strided single-precision matrix products on Float32Arrays, accumulated into C. Every matrix is
 * addressed as (array, offset, leading dimension), so callers can multiply column blocks of a packed
 * gate matrix without copying.
 *
 * The loops run along contiguous rows and work on two rows of C with four rows of the shared
 * dimension at a time: each loaded element of B feeds two multiply-adds and each element of C is
 * loaded and stored once per four, which is what makes scalar JavaScript reach about 4 GFLOP/s here
 * (1.5x the plain i-k-j loop).
 */

/** C[i, j] += sum_p A[i, p] * B[p, j]   (A: m x k, B: k x n, C: m x n) */
export function addMatMul(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, lda: number,
  b: Float32Array, bOff: number, ldb: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const ai = aOff + i * lda, aj = ai + lda;
    const ci = cOff + i * ldc, cj = ci + ldc;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const x0 = a[ai + p], x1 = a[ai + p + 1], x2 = a[ai + p + 2], x3 = a[ai + p + 3];
      const y0 = a[aj + p], y1 = a[aj + p + 1], y2 = a[aj + p + 2], y3 = a[aj + p + 3];
      // One-hot and masked inputs are mostly zeros.
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0 && y0 === 0 && y1 === 0 && y2 === 0 && y3 === 0) continue;
      const b0 = bOff + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      for (let j = 0; j < n; j++) {
        const v0 = b[b0 + j], v1 = b[b1 + j], v2 = b[b2 + j], v3 = b[b3 + j];
        c[ci + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
        c[cj + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
      }
    }
    for (; p < k; p++) {
      const x0 = a[ai + p], y0 = a[aj + p];
      if (x0 === 0 && y0 === 0) continue;
      const b0 = bOff + p * ldb;
      for (let j = 0; j < n; j++) {
        const v = b[b0 + j];
        c[ci + j] += x0 * v;
        c[cj + j] += y0 * v;
      }
    }
  }
  if (i < m) {
    // The last row of an odd count, summed in the same groups of four as a row of a pair, so a row's
    // result does not depend on whether it had a partner (the inference path projects one step's
    // rows at a time, the training path all steps at once).
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const x0 = a[ai + p], x1 = a[ai + p + 1], x2 = a[ai + p + 2], x3 = a[ai + p + 3];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const b0 = bOff + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      for (let j = 0; j < n; j++) c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
    }
    for (; p < k; p++) {
      const x0 = a[ai + p];
      if (x0 === 0) continue;
      const b0 = bOff + p * ldb;
      for (let j = 0; j < n; j++) c[ci + j] += x0 * b[b0 + j];
    }
  }
}

/** C[i, j] += sum_p A[i, p] * B[j, p]   (A: m x k, B: n x k, C: m x n): row-by-row dot products. */
export function addMatMulTransB(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, lda: number,
  b: Float32Array, bOff: number, ldb: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const ai = aOff + i * lda, aj = ai + lda;
    const ci = cOff + i * ldc, cj = ci + ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * ldb;
      let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
      let p = 0;
      for (; p + 1 < k; p += 2) {
        const v0 = b[bj + p], v1 = b[bj + p + 1];
        s0 += a[ai + p] * v0;
        s1 += a[ai + p + 1] * v1;
        t0 += a[aj + p] * v0;
        t1 += a[aj + p + 1] * v1;
      }
      if (p < k) {
        const v = b[bj + p];
        s0 += a[ai + p] * v;
        t0 += a[aj + p] * v;
      }
      c[ci + j] += s0 + s1;
      c[cj + j] += t0 + t1;
    }
  }
  if (i < m) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * ldb;
      let s0 = 0, s1 = 0;
      let p = 0;
      for (; p + 1 < k; p += 2) {
        s0 += a[ai + p] * b[bj + p];
        s1 += a[ai + p + 1] * b[bj + p + 1];
      }
      if (p < k) s0 += a[ai + p] * b[bj + p];
      c[ci + j] += s0 + s1;
    }
  }
}

/** C[i, j] += sum_p A[p, i] * B[p, j]   (A: k x m, B: k x n, C: m x n): weight gradients. */
export function addMatMulTransA(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, lda: number,
  b: Float32Array, bOff: number, ldb: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const a0 = aOff + p * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const b0 = bOff + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const x0 = a[a0 + i], x1 = a[a1 + i], x2 = a[a2 + i], x3 = a[a3 + i];
      const y0 = a[a0 + i + 1], y1 = a[a1 + i + 1], y2 = a[a2 + i + 1], y3 = a[a3 + i + 1];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0 && y0 === 0 && y1 === 0 && y2 === 0 && y3 === 0) continue;
      const ci = cOff + i * ldc, cj = ci + ldc;
      for (let j = 0; j < n; j++) {
        const v0 = b[b0 + j], v1 = b[b1 + j], v2 = b[b2 + j], v3 = b[b3 + j];
        c[ci + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
        c[cj + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
      }
    }
    if (i < m) {
      const x0 = a[a0 + i], x1 = a[a1 + i], x2 = a[a2 + i], x3 = a[a3 + i];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
    }
  }
  for (; p < k; p++) {
    const ap = aOff + p * lda;
    const bp = bOff + p * ldb;
    for (let i = 0; i < m; i++) {
      const v = a[ap + i];
      if (v === 0) continue;
      const ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) c[ci + j] += v * b[bp + j];
    }
  }
}
