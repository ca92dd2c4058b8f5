/** The addon's general matrix product against a naive loop, on every SIMD path of this CPU. */
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { seededRandom } from './__tests__/random_requests';

const { addon } = requireNative();

function naive(m: number, n: number, k: number, a: Float32Array, b: Float32Array, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

const SIZES: Array<[number, number, number]> = [
  [1, 1, 1],
  [7, 13, 5],
  [5, 7, 13],
  [1, 33, 17],
  [17, 1, 33],
  [9, 31, 1],
  [15, 17, 300], // k beyond one depth block
  [300, 257, 129],
  [64, 64, 64],
];

describe('native gemm', () => {
  test.each(SIZES)('%ix%ix%i, all transposes, every SIMD path', (m, n, k) => {
    const rand = seededRandom(m * 10007 + n * 101 + k);
    const a = Float32Array.from({ length: m * k }, () => rand() * 2 - 1);
    const b = Float32Array.from({ length: k * n }, () => rand() * 2 - 1);
    forEachSimd(addon, (level) => {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const want = naive(m, n, k, a, b, transA, transB);
          const got = addon.gemm(m, n, k, a, b, transA, transB);
          expect(got.length).toBe(m * n);
          let worst = 0;
          for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
          if (worst > 1e-5 * Math.sqrt(k) + 1e-6) {
            throw new Error(`${level} ${m}x${n}x${k} transA=${transA} transB=${transB}: max error ${worst}`);
          }
        }
      }
    });
  });

  test('writes into a given output array, overwriting what was there', () => {
    const out = new Float32Array(6).fill(123);
    const result = addon.gemm(2, 3, 2, Float32Array.from([1, 2, 3, 4]), Float32Array.from([1, 0, 2, 0, 1, 3]), false, false, out);
    expect(result).toBe(out);
    expect(Array.from(out)).toEqual([1, 2, 8, 3, 4, 18]);
  });

  test('empty products', () => {
    expect(addon.gemm(0, 5, 3, new Float32Array(0), new Float32Array(15), false, false).length).toBe(0);
    expect(Array.from(addon.gemm(2, 2, 0, new Float32Array(0), new Float32Array(0), false, false))).toEqual([0, 0, 0, 0]);
  });
});
