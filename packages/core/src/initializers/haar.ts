/**
 * The m x n (m >= n) matrix Keras's orthogonal initializer produces — Q of the QR decomposition of a
 * Gaussian matrix, columns signed by diag(R) — built without factorizing anything. Householder QR of a
 * Gaussian matrix uses, at step k, a reflector built from a vector that is again standard Gaussian
 * (rotation invariance), so drawing those vectors directly gives the same distribution (Stewart, 1980,
 * "The efficient generation of random orthogonal matrices"). Only Q's formation remains: about half the
 * work of a QR, in float64, done in blocks for cache locality.
 *
 * `gaussian` is m x n row-major; column k's entries k..m-1 make reflector k. Returns Q row-major.
 */
export function randomOrthogonalColumns(gaussian: Float64Array, m: number, n: number): Float64Array {
  if (m < n) throw new Error(`randomOrthogonalColumns: expected rows >= columns, got ${m} x ${n}.`);
  const q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const signs = new Float64Array(n);
  // Q = H_0 H_1 ... H_{n-1} I[:, :n]. Reflectors are applied in blocks (last block first) through the
  // compact WY form H_k0 ... H_k1-1 = I - V T V^T, so each row of Q is read once per block rather than
  // once per reflector: the work is the same, the memory traffic BLOCK times smaller.
  for (let end = n; end > 0; end -= BLOCK) {
    const k0 = Math.max(0, end - BLOCK);
    const b = end - k0;
    const v = blockReflectors(gaussian, m, n, k0, b, signs);
    const t = triangularFactor(v, m - k0, b);
    applyBlock(q, m, n, k0, v, t, b);
  }
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) q[row + j] *= signs[j];
  }
  return q;
}

const BLOCK = 32;

/**
 * Reflectors k0 .. k0+b-1 as the columns of V ((m-k0) x b, row-major, zero above each reflector's
 * start), scaled so that H = I - v v^T. Records Keras's sign fix, sign(diag(R)).
 */
function blockReflectors(gaussian: Float64Array, m: number, n: number, k0: number, b: number, signs: Float64Array): Float64Array {
  const rows = m - k0;
  const v = new Float64Array(rows * b);
  for (let p = 0; p < b; p++) {
    const k = k0 + p;
    let norm2 = 0;
    for (let r = k; r < m; r++) norm2 += gaussian[r * n + k] ** 2;
    const x0 = gaussian[k * n + k];
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    signs[k] = alpha < 0 ? -1 : 1;
    const head = x0 - alpha;
    const vNorm2 = norm2 - x0 * x0 + head * head;
    if (vNorm2 === 0) continue; // H = I
    const scale = Math.sqrt(2 / vNorm2);
    v[(k - k0) * b + p] = head * scale;
    for (let r = k + 1; r < m; r++) v[(r - k0) * b + p] = gaussian[r * n + k] * scale;
  }
  return v;
}

/** The upper-triangular T of H_0 ... H_{b-1} = I - V T V^T (LAPACK's forward recurrence, tau = 1). */
function triangularFactor(v: Float64Array, rows: number, b: number): Float64Array {
  const t = new Float64Array(b * b);
  const w = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    t[i * b + i] = 1;
    w.fill(0);
    for (let r = 0; r < rows; r++) {
      const vi = v[r * b + i];
      if (vi === 0) continue;
      for (let p = 0; p < i; p++) w[p] += v[r * b + p] * vi;
    }
    // T[0:i, i] = -T[0:i, 0:i] w
    for (let p = 0; p < i; p++) {
      let sum = 0;
      for (let s = p; s < i; s++) sum += t[p * b + s] * w[s];
      t[p * b + i] = -sum;
    }
  }
  return t;
}

/** Q[k0:, k0:] -= V T (V^T Q[k0:, k0:]); columns left of k0 are untouched identity columns. */
function applyBlock(q: Float64Array, m: number, n: number, k0: number, v: Float64Array, t: Float64Array, b: number): void {
  const cols = n - k0;
  const w = new Float64Array(b * cols);
  for (let r = k0; r < m; r++) {
    const row = r * n + k0;
    const vr = (r - k0) * b;
    for (let p = 0; p < b; p++) {
      const vp = v[vr + p];
      if (vp === 0) continue;
      const wp = p * cols;
      for (let j = 0; j < cols; j++) w[wp + j] += vp * q[row + j];
    }
  }
  // W <- T W in place: row p of the result needs rows >= p of W, which are still unchanged.
  for (let p = 0; p < b; p++) {
    const wp = p * cols;
    const tpp = t[p * b + p];
    for (let j = 0; j < cols; j++) w[wp + j] *= tpp;
    for (let s = p + 1; s < b; s++) {
      const tps = t[p * b + s];
      if (tps === 0) continue;
      const ws = s * cols;
      for (let j = 0; j < cols; j++) w[wp + j] += tps * w[ws + j];
    }
  }
  for (let r = k0; r < m; r++) {
    const row = r * n + k0;
    const vr = (r - k0) * b;
    for (let p = 0; p < b; p++) {
      const vp = v[vr + p];
      if (vp === 0) continue;
      const wp = p * cols;
      for (let j = 0; j < cols; j++) q[row + j] -= vp * w[wp + j];
    }
  }
}
