import { seededRandom } from '../__tests__/reference/random_case';
import { expNonPositive } from './exp_non_positive';

const scratch = new Float32Array(1);
const scratchBits = new Int32Array(scratch.buffer);
/** The float32 bit pattern of x rounded to float32 (for non-negative x, ulps apart = patterns apart). */
function float32Bits(x: number): number {
  scratch[0] = x;
  return scratchBits[0];
}

/** Arguments over every magnitude a softmax row produces: uniform, near zero, and float32 differences. */
function sampleArguments(): number[] {
  const rand = seededRandom(20261203);
  const out: number[] = [];
  for (let i = 0; i < 100000; i++) {
    out.push(-rand() * 104);
    out.push(-rand() * 2);
    out.push(-rand() * 1e-6);
    out.push(Math.fround(rand() * 20 - 10) - Math.fround(rand() * 20 + 10));
  }
  // The float32 subnormal range of the result, its end, the range-reduction boundaries, exact zero.
  out.push(-87.33, -87.34, -103.27, -103.28, -103.97, -104, -Math.LN2 / 64, -Math.LN2 / 2, -Math.LN2, -1e-300, -0, 0);
  return out;
}

describe('expNonPositive', () => {
  test('within a few double ulps of Math.exp, so within float32 rounding of its float32 values', () => {
    let worstRelative = 0;
    let worstUlps = 0;
    for (const d of sampleArguments()) {
      const ours = expNonPositive(d);
      const reference = Math.exp(d);
      if (reference > 0) worstRelative = Math.max(worstRelative, Math.abs(ours - reference) / reference);
      else expect(ours).toBe(0);
      worstUlps = Math.max(worstUlps, Math.abs(float32Bits(ours) - float32Bits(reference)));
    }
    expect(worstRelative).toBeLessThan(2e-15);
    expect(worstUlps).toBeLessThanOrEqual(1);
  });

  test('special values as Math.exp: 1 at zero, 0 at -Infinity and below float32 range, NaN stays NaN', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(-104.5)).toBe(0);
    expect(Math.fround(Math.exp(-104.5))).toBe(0);
    expect(Number.isNaN(expNonPositive(NaN))).toBe(true);
  });

  test('a positive argument (outside the contract) reads as 0 rather than reading past the tables', () => {
    expect(expNonPositive(3)).toBe(1);
    expect(expNonPositive(Infinity)).toBe(1);
  });
});
