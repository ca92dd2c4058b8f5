// e^d for d <= 0 (or NaN) as src/registration/exp_non_positive.ts computes it, operation for operation in
// double precision (the same bits), one value at a time; softmax_rows.inc runs the same operations on
// vectors of doubles (each set's softmax_rows: the tails of rows, and the tables of its lanes).
#pragma once
#include <cstdint>
#include <limits>

namespace rk {
namespace exp_np {

// 2^(j/32) for j = 0..31, the doubles JavaScript's 2 ** (j / 32) gives (exp_non_positive.ts builds its
// table so); written out because a C library's pow need not round each of them the same way.
inline constexpr double kPow2Fraction[32] = {
    0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
    0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
    0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
    0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5584p+0,
    0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
    0x1.8ace5422aa0dcp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255cp+0,
    0x1.ae89f995ad3aep+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
    0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
};

// 2^-m for m = 0..152, exact.
struct Pow2Int {
  double v[153];
  constexpr Pow2Int() : v{} {
    double p = 1.0;
    for (int m = 0; m < 153; ++m, p /= 2) v[m] = p;
  }
};
inline constexpr Pow2Int kPow2Int{};

inline constexpr double kLn2Over32High = 6.93147180369123816490e-1 / 32;
inline constexpr double kLn2Over32Low = 1.90821492927058770002e-10 / 32;
inline constexpr double kInvLn2Over32 = 32 / 0.6931471805599453;  // Math.LN2
inline constexpr double kRounder = 6755399441055744.0;          // 1.5 * 2^52: adding and subtracting it rounds to an integer
inline constexpr double kLowest = -104;                          // below it, e^d rounds to float32 zero

// e^r for |r| <= ln2/64: the degree-6 Taylor polynomial, in exp_non_positive.ts's order.
template <class T>
inline T taylor(T r) {
  return 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
}

inline double exp_non_positive(double d) {
  if (!(d >= kLowest)) return d != d ? std::numeric_limits<double>::quiet_NaN() : 0.0;  // NaN as JavaScript's NaN
  if (d > 0) d = 0;
  const double n = d * kInvLn2Over32 + kRounder - kRounder;
  const double r = d - n * kLn2Over32High - n * kLn2Over32Low;
  const int32_t k = static_cast<int32_t>(n);  // in [-4800, 0]: n is integral
  return kPow2Int.v[-(k >> 5)] * kPow2Fraction[k & 31] * taylor(r);
}

}  // namespace exp_np
}  // namespace rk
