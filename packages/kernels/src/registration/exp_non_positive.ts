/**
 * e^d for d <= 0 (or NaN), in double precision without a call to Math.exp: the softmax rows
 * (softmax_kernels.ts) take e^(x - max) of every element, and V8 runs Math.exp as a call into its
 * C++ library that costs more than the rest of the row's work together.
 *
 * d = (32m + j)·ln2/32 + r with |r| <= ln2/64, so e^d = 2^m · 2^(j/32) · e^r: both powers of two
 * come from tables built once, and e^r from its Taylor polynomial of degree 6 (the remainder,
 * |r|^7/7!, is below 2^-61 of the result). The result is within a few units of the last place of a
 * double of Math.exp's (about 1e-15 relative), so rounded to float32, as the softmax stores it, it
 * is Math.exp's float32 value, or in rare near-ties its neighbour (tested over all magnitudes).
 *
 * Below -104, e^d rounds to float32 zero (e^-104 is under half the smallest subnormal) and the result
 * is 0; -Infinity gives 0 and NaN gives NaN, as Math.exp does. Positive d is outside the contract
 * (a softmax row has subtracted its maximum); it is read as 0 rather than overflow the tables.
 */

/**
 * ln 2 / 32 in two parts (fdlibm's split of ln 2, divided by 32): HIGH has 32 significant bits, so
 * n · HIGH is exact for the |n| <= 4800 that d >= -104 gives, and LOW carries the rest.
 */
const LN2_OVER_32_HIGH = 6.93147180369123816490e-1 / 32;
const LN2_OVER_32_LOW = 1.90821492927058770002e-10 / 32;
const INV_LN2_OVER_32 = 32 / Math.LN2;
/** Adding and subtracting 1.5 · 2^52 rounds a double of magnitude below 2^51 to the nearest integer. */
const ROUNDER = 6755399441055744;
const LOWEST = -104;
/** 2^m for m = 0, -1, ..., -152, at index -m. */
const POW2_INT = Float64Array.from({ length: 153 }, (_, k) => 2 ** -k);
/** 2^(j/32) for j = 0..31. */
const POW2_FRACTION = Float64Array.from({ length: 32 }, (_, j) => 2 ** (j / 32));

export function expNonPositive(d: number): number {
  if (!(d >= LOWEST)) return d !== d ? NaN : 0;
  if (d > 0) d = 0;
  const n = d * INV_LN2_OVER_32 + ROUNDER - ROUNDER;
  const r = d - n * LN2_OVER_32_HIGH - n * LN2_OVER_32_LOW;
  const k = n | 0; // in [-4800, 0]
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  return POW2_INT[-(k >> 5)] * POW2_FRACTION[k & 31] * p;
}
