/**
 * Strided single-precision matrix products on Float32Arrays, accumulated into C. Every matrix is
 * addressed as (array, offset, leading dimension), so callers can multiply column blocks of a packed
 * gate matrix without copying. Loops run along contiguous rows, four rows of the shared dimension
 * at a time, so each element of C is loaded and stored once per four multiply-adds.
 */

/** C[i, j] += sum_p A[i, p] * B[p, j]   (A: m x k, B: k x n, C: m x n) */
export function addMatMul(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, lda: number,
  b: Float32Array, bOff: number, ldb: number,
  c: Float32Array, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue; // one-hot and masked inputs
      const b0 = bOff + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      for (let j = 0; j < n; j++) {
        c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (; p < k; p++) {
      const a0 = a[ai + p];
      if (a0 === 0) continue;
      const b0 = bOff + p * ldb;
      for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j];
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
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        s0 += a[ai + p] * b[bj + p];
        s1 += a[ai + p + 1] * b[bj + p + 1];
        s2 += a[ai + p + 2] * b[bj + p + 2];
        s3 += a[ai + p + 3] * b[bj + p + 3];
      }
      for (; p < k; p++) s0 += a[ai + p] * b[bj + p];
      c[ci + j] += s0 + s1 + s2 + s3;
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
    for (let i = 0; i < m; i++) {
      const v0 = a[a0 + i], v1 = a[a1 + i], v2 = a[a2 + i], v3 = a[a3 + i];
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) {
        c[ci + j] += v0 * b[b0 + j] + v1 * b[b1 + j] + v2 * b[b2 + j] + v3 * b[b3 + j];
      }
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
