/** The strided products against a naive triple loop, on odd sizes and offsets that hit every tail. */
import { seededRandom } from '../__tests__/reference/random_case';
import { addMatMul, addMatMulTransA, addMatMulTransB } from './matmul';

const rand = seededRandom(3);
const random = (n: number, zeros = 0) => Float32Array.from({ length: n }, () => (rand() < zeros ? 0 : rand() * 2 - 1));

/** A (m x k, row stride lda, offset) as a plain accessor. */
function naive(m: number, n: number, k: number, a: (i: number, p: number) => number, b: (p: number, j: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a(i, p) * b(p, j);
    out.push(s);
  }
  return out;
}

const SIZES: Array<[number, number, number]> = [[1, 1, 1], [2, 3, 4], [3, 5, 7], [5, 2, 9], [4, 8, 3], [7, 6, 13]];

describe('strided matrix products', () => {
  test.each(SIZES)('m=%i n=%i k=%i, with offsets, strides and accumulation', (m, n, k) => {
    for (const zeros of [0, 0.6]) {
      const aOff = 3, lda = k + 2, bOff = 1, ldb = n + 3, cOff = 2, ldc = n + 1;
      const A = random(aOff + m * lda, zeros);
      const Bm = random(bOff + k * ldb);
      const start = random(cOff + m * ldc);
      const C = Float32Array.from(start);
      addMatMul(m, n, k, A, aOff, lda, Bm, bOff, ldb, C, cOff, ldc);
      const want = naive(m, n, k, (i, p) => A[aOff + i * lda + p], (p, j) => Bm[bOff + p * ldb + j]);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        expect(C[cOff + i * ldc + j]).toBeCloseTo(start[cOff + i * ldc + j] + want[i * n + j], 5);
      }
      // Entries outside the C block are untouched.
      expect(C[0]).toBe(start[0]);

      const Bt = random(bOff + n * (k + 1)); // B stored as n x k (stride k+1)
      const C2 = Float32Array.from(start);
      addMatMulTransB(m, n, k, A, aOff, lda, Bt, bOff, k + 1, C2, cOff, ldc);
      const want2 = naive(m, n, k, (i, p) => A[aOff + i * lda + p], (p, j) => Bt[bOff + j * (k + 1) + p]);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        expect(C2[cOff + i * ldc + j]).toBeCloseTo(start[cOff + i * ldc + j] + want2[i * n + j], 5);
      }

      const At = random(aOff + k * (m + 2), zeros); // A stored as k x m (stride m+2)
      const C3 = Float32Array.from(start);
      addMatMulTransA(m, n, k, At, aOff, m + 2, Bm, bOff, ldb, C3, cOff, ldc);
      const want3 = naive(m, n, k, (i, p) => At[aOff + p * (m + 2) + i], (p, j) => Bm[bOff + p * ldb + j]);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        expect(C3[cOff + i * ldc + j]).toBeCloseTo(start[cOff + i * ldc + j] + want3[i * n + j], 5);
      }
    }
  });
});
