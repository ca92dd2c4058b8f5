/**
 * The m x n (m >= n) matrix Keras's orthogonal initializer produces — Q of the QR decomposition of a
 * Gaussian matrix, columns signed by diag(R) — built without factorizing anything. Householder QR of a
 * Gaussian matrix uses, at step k, a reflector built from a vector that is again standard Gaussian
 * (rotation invariance), so drawing those vectors directly gives the same distribution (Stewart, 1980,
 * "The efficient generation of random orthogonal matrices"), with the same sign fix: column k is
 * multiplied by sign(R_kk). Only Q's formation remains, O(m n^2) in float64.
 *
 * Q = H_0 H_1 ... H_{n-1} I[:, :n] is formed in blocks of reflectors (last block first), each applied as
 * I - V T V^T (compact WY form), so the work is two matrix products per block. Q is kept column by
 * column (`qt`, n x m) and the reflectors likewise (`vt`, b x rows), so that both products run over
 * contiguous rows with several sums in registers, over slices of CHUNK rows that stay in cache.
 *
 * `gaussian` is m x n row-major; column k's entries k..m-1 make reflector k. Returns Q row-major.
 */
export function randomOrthogonalColumns(gaussian: Float64Array, m: number, n: number): Float64Array {
  if (m < n) throw new Error(`randomOrthogonalColumns: expected rows >= columns, got ${m} x ${n}.`);
  if (gaussian.length !== m * n) throw new Error(`randomOrthogonalColumns: expected ${m * n} values for ${m} x ${n}, got ${gaussian.length}.`);
  const gt = new Float64Array(n * m);
  for (let r = 0; r < m; r++) for (let k = 0; k < n; k++) gt[k * m + r] = gaussian[r * n + k];
  const qt = new Float64Array(n * m);
  for (let j = 0; j < n; j++) qt[j * m + j] = 1;
  const signs = new Float64Array(n);
  for (let end = n; end > 0; end -= BLOCK) {
    const k0 = Math.max(0, end - BLOCK);
    const b = end - k0;
    const vt = blockReflectors(gt, m, k0, b, signs);
    const t = triangularFactor(vt, m - k0, b);
    const wt = projectOntoReflectors(qt, m, n, k0, b, vt, t);
    subtractBlockUpdate(qt, m, n, k0, b, vt, wt);
  }
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const s = signs[j];
    const column = j * m;
    for (let r = 0; r < m; r++) q[r * n + j] = qt[column + r] * s;
  }
  return q;
}

/** Reflectors per block: 32 balances the two products against the triangular factor's cost. */
const BLOCK = 32;
/** Rows per slice in the products: a slice of the reflectors (BLOCK x CHUNK doubles) stays in cache. */
const CHUNK = 256;

/**
 * Reflectors k0 .. k0+b-1 as the rows of Vt (b x (m-k0); row p is zero before its start k0+p), scaled so
 * that H = I - v v^T. Records Keras's sign fix, sign(R_kk) = sign(alpha).
 */
function blockReflectors(gt: Float64Array, m: number, k0: number, b: number, signs: Float64Array): Float64Array {
  const rows = m - k0;
  const vt = new Float64Array(b * rows);
  for (let p = 0; p < b; p++) {
    const k = k0 + p;
    const g = k * m;
    let norm2 = 0;
    for (let r = k; r < m; r++) norm2 += gt[g + r] * gt[g + r];
    const x0 = gt[g + k];
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    signs[k] = alpha < 0 ? -1 : 1;
    const head = x0 - alpha;
    const vNorm2 = norm2 - x0 * x0 + head * head;
    if (vNorm2 === 0) continue; // H = I
    const scale = Math.sqrt(2 / vNorm2);
    const row = p * rows - k0; // row + r addresses entry r (r >= k0) of reflector p
    vt[row + k] = head * scale;
    for (let r = k + 1; r < m; r++) vt[row + r] = gt[g + r] * scale;
  }
  return vt;
}

/** The upper-triangular T of H_0 ... H_{b-1} = I - V T V^T (LAPACK's forward recurrence, tau = 1). */
function triangularFactor(vt: Float64Array, rows: number, b: number): Float64Array {
  const t = new Float64Array(b * b);
  const w = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    t[i * b + i] = 1;
    const vi = i * rows;
    // w = V[:, 0:i]^T v_i; v_i is zero before entry i.
    for (let p = 0; p < i; p++) {
      const vp = p * rows;
      let sum = 0;
      for (let r = i; r < rows; r++) sum += vt[vp + r] * vt[vi + r];
      w[p] = sum;
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

/**
 * (T V^T Q[k0:, k0:])^T, as Wt (cols x b, cols = n - k0). Q's columns k0..end-1 are still identity
 * columns (only later blocks have been applied), so their projections are entries of V; the later
 * columns are zero above row `end`, so their dot products start there.
 */
function projectOntoReflectors(qt: Float64Array, m: number, n: number, k0: number, b: number, vt: Float64Array, t: Float64Array): Float64Array {
  const rows = m - k0;
  const end = k0 + b;
  const cols = n - k0;
  const w = new Float64Array(b * cols); // V^T Q, b x cols
  for (let p = 0; p < b; p++) for (let j = 0; j < b; j++) w[p * cols + j] = vt[p * rows + j];
  for (let c0 = end; c0 < m; c0 += CHUNK) {
    const c1 = Math.min(m, c0 + CHUNK);
    let j = end;
    // Two columns of Q against four reflectors at a time: eight sums in registers.
    for (; j + 1 < n; j += 2) {
      const q0 = j * m;
      const q1 = q0 + m;
      const jj = j - k0;
      let p = 0;
      for (; p + 3 < b; p += 4) {
        const v0 = p * rows - k0;
        const v1 = v0 + rows;
        const v2 = v1 + rows;
        const v3 = v2 + rows;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let r = c0; r < c1; r++) {
          const x0 = qt[q0 + r];
          const x1 = qt[q1 + r];
          const y0 = vt[v0 + r];
          const y1 = vt[v1 + r];
          const y2 = vt[v2 + r];
          const y3 = vt[v3 + r];
          s00 += y0 * x0; s01 += y0 * x1; s10 += y1 * x0; s11 += y1 * x1;
          s20 += y2 * x0; s21 += y2 * x1; s30 += y3 * x0; s31 += y3 * x1;
        }
        const w0 = p * cols + jj;
        w[w0] += s00; w[w0 + 1] += s01;
        w[w0 + cols] += s10; w[w0 + cols + 1] += s11;
        w[w0 + 2 * cols] += s20; w[w0 + 2 * cols + 1] += s21;
        w[w0 + 3 * cols] += s30; w[w0 + 3 * cols + 1] += s31;
      }
      for (; p < b; p++) {
        const v0 = p * rows - k0;
        let s0 = 0, s1 = 0;
        for (let r = c0; r < c1; r++) {
          s0 += vt[v0 + r] * qt[q0 + r];
          s1 += vt[v0 + r] * qt[q1 + r];
        }
        w[p * cols + jj] += s0;
        w[p * cols + jj + 1] += s1;
      }
    }
    for (; j < n; j++) {
      const q0 = j * m;
      for (let p = 0; p < b; p++) {
        const v0 = p * rows - k0;
        let s = 0;
        for (let r = c0; r < c1; r++) s += vt[v0 + r] * qt[q0 + r];
        w[p * cols + j - k0] += s;
      }
    }
  }
  // T W, stored transposed for the update.
  const wt = new Float64Array(cols * b);
  for (let p = 0; p < b; p++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let s = p; s < b; s++) sum += t[p * b + s] * w[s * cols + j];
      wt[j * b + p] = sum;
    }
  }
  return wt;
}

/** Q[k0:, k0:] -= V (T V^T Q): column j of Q loses sum_p Wt[j][p] v_p. Columns left of k0 are untouched. */
function subtractBlockUpdate(qt: Float64Array, m: number, n: number, k0: number, b: number, vt: Float64Array, wt: Float64Array): void {
  const rows = m - k0;
  for (let c0 = k0; c0 < m; c0 += CHUNK) {
    const c1 = Math.min(m, c0 + CHUNK);
    let j = k0;
    // Two columns by four rows at a time: eight sums in registers over the b reflectors.
    for (; j + 1 < n; j += 2) {
      const q0 = j * m;
      const q1 = q0 + m;
      const w0 = (j - k0) * b;
      const w1 = w0 + b;
      let r = c0;
      for (; r + 3 < c1; r += 4) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (let p = 0; p < b; p++) {
          const v = p * rows - k0 + r;
          const y0 = vt[v];
          const y1 = vt[v + 1];
          const y2 = vt[v + 2];
          const y3 = vt[v + 3];
          const x0 = wt[w0 + p];
          const x1 = wt[w1 + p];
          a0 += x0 * y0; a1 += x0 * y1; a2 += x0 * y2; a3 += x0 * y3;
          b0 += x1 * y0; b1 += x1 * y1; b2 += x1 * y2; b3 += x1 * y3;
        }
        qt[q0 + r] -= a0; qt[q0 + r + 1] -= a1; qt[q0 + r + 2] -= a2; qt[q0 + r + 3] -= a3;
        qt[q1 + r] -= b0; qt[q1 + r + 1] -= b1; qt[q1 + r + 2] -= b2; qt[q1 + r + 3] -= b3;
      }
      for (; r < c1; r++) {
        let a = 0, c = 0;
        for (let p = 0; p < b; p++) {
          const y = vt[p * rows - k0 + r];
          a += wt[w0 + p] * y;
          c += wt[w1 + p] * y;
        }
        qt[q0 + r] -= a;
        qt[q1 + r] -= c;
      }
    }
    for (; j < n; j++) {
      const q0 = j * m;
      const w0 = (j - k0) * b;
      for (let r = c0; r < c1; r++) {
        let a = 0;
        for (let p = 0; p < b; p++) a += wt[w0 + p] * vt[p * rows - k0 + r];
        qt[q0 + r] -= a;
      }
    }
  }
}
