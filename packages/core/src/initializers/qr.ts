/**
 * Reduced QR decomposition by Householder reflections, in float64, of a row-major m x n matrix with
 * m >= n. Returns Q (m x n, row-major) and the diagonal of R. Written out here because tfjs's
 * `linalg.qr` builds one small op per step and is far slower on the matrices recurrent kernels need.
 */
export function householderQr(a: Float64Array, m: number, n: number): { q: Float64Array; rDiag: Float64Array } {
  if (m < n) throw new Error(`householderQr: expected rows >= columns, got ${m} x ${n}.`);
  const work = Float64Array.from(a);
  const reflectors: Float64Array[] = [];
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const len = m - k;
    const v = new Float64Array(len);
    let norm2 = 0;
    for (let i = 0; i < len; i++) {
      v[i] = work[(k + i) * n + k];
      norm2 += v[i] * v[i];
    }
    const norm = Math.sqrt(norm2);
    const alpha = v[0] > 0 ? -norm : norm;
    rDiag[k] = alpha;
    v[0] -= alpha;
    let vNorm2 = 0;
    for (let i = 0; i < len; i++) vNorm2 += v[i] * v[i];
    if (vNorm2 > 0) {
      const inv = 1 / Math.sqrt(vNorm2);
      for (let i = 0; i < len; i++) v[i] *= inv;
      applyReflector(work, v, k, n, k, n);
    }
    reflectors.push(v);
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) applyReflector(q, reflectors[k], k, n, 0, n);
  return { q, rDiag };
}

/** In place: rows from `row0` on, columns [col0, col1) of the row-major matrix `x` (row width `width`) get (I - 2vv^T) applied. */
function applyReflector(x: Float64Array, v: Float64Array, row0: number, width: number, col0: number, col1: number): void {
  const len = v.length;
  const dots = new Float64Array(col1 - col0);
  for (let i = 0; i < len; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const base = (row0 + i) * width;
    for (let j = col0; j < col1; j++) dots[j - col0] += vi * x[base + j];
  }
  for (let i = 0; i < len; i++) {
    const vi2 = 2 * v[i];
    if (vi2 === 0) continue;
    const base = (row0 + i) * width;
    for (let j = col0; j < col1; j++) x[base + j] -= vi2 * dots[j - col0];
  }
}
