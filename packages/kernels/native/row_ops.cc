#include "row_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace rk {

void gather_rows(const float* table, int64_t width, const int32_t* rows, int64_t n, float* out) {
  const size_t row_bytes = static_cast<size_t>(width) * sizeof(float);
  for (int64_t i = 0; i < n; ++i) std::memcpy(out + i * width, table + static_cast<int64_t>(rows[i]) * width, row_bytes);
}

void scatter_add_rows(const float* values, const int32_t* rows, int64_t n, int64_t table_rows, int64_t width, float* grad) {
  std::memset(grad, 0, static_cast<size_t>(table_rows * width) * sizeof(float));
  for (int64_t i = 0; i < n; ++i) {
    float* to = grad + static_cast<int64_t>(rows[i]) * width;
    const float* from = values + i * width;
    for (int64_t d = 0; d < width; ++d) to[d] += from[d];
  }
}

namespace {

// The real steps [first, end) of window t.
inline void window_steps(const MaxPool1DProblem& p, int64_t t, int64_t* first, int64_t* end) {
  const int64_t start = t * p.stride - p.pad_before;
  *first = std::max<int64_t>(start, 0);
  *end = std::min<int64_t>(start + p.pool, p.steps);
}

// The maxima of rows [first, end) (first < end) of `rows` (row stride C) into best, and, when where is
// not null, the row of each first maximum. v > best is false for NaN on either side, so a NaN enters
// only through v != v and then stays: the TypeScript scan's rule. Written branch-free over c so it
// compiles to vector compares and blends.
void scan_window(const float* rows, int64_t C, int64_t first, int64_t end, float* best, int32_t* where) {
  std::memcpy(best, rows + first * C, static_cast<size_t>(C) * sizeof(float));
  if (where != nullptr) std::fill(where, where + C, static_cast<int32_t>(first));
  for (int64_t step = first + 1; step < end; ++step) {
    const float* row = rows + step * C;
    if (where == nullptr) {
      for (int64_t c = 0; c < C; ++c) {
        const float v = row[c];
        best[c] = (v > best[c] || v != v) ? v : best[c];
      }
    } else {
      const int32_t s = static_cast<int32_t>(step);
      for (int64_t c = 0; c < C; ++c) {
        const float v = row[c];
        const bool take = v > best[c] || v != v;
        best[c] = take ? v : best[c];
        where[c] = take ? s : where[c];
      }
    }
  }
}

}  // namespace

void max_pool1d_forward(const MaxPool1DProblem& p, float* out) {
  const int64_t C = p.channels;
  for (int64_t b = 0; b < p.batch; ++b) {
    const float* rows = p.x + b * p.steps * C;
    for (int64_t t = 0; t < p.out_length; ++t) {
      float* o = out + (b * p.out_length + t) * C;
      int64_t first, end;
      window_steps(p, t, &first, &end);
      if (first >= end) std::fill(o, o + C, -std::numeric_limits<float>::infinity());
      else scan_window(rows, C, first, end, o, nullptr);
    }
  }
}

void max_pool1d_backward(const MaxPool1DProblem& p, const float* dy, float* dx) {
  const int64_t C = p.channels;
  std::memset(dx, 0, static_cast<size_t>(p.batch * p.steps * C) * sizeof(float));
  std::vector<float> best(static_cast<size_t>(C));
  std::vector<int32_t> where(static_cast<size_t>(C));
  for (int64_t b = 0; b < p.batch; ++b) {
    const float* rows = p.x + b * p.steps * C;
    float* dx_rows = dx + b * p.steps * C;
    for (int64_t t = 0; t < p.out_length; ++t) {
      int64_t first, end;
      window_steps(p, t, &first, &end);
      if (first >= end) continue;
      scan_window(rows, C, first, end, best.data(), where.data());
      const float* g = dy + (b * p.out_length + t) * C;
      for (int64_t c = 0; c < C; ++c) {
        if (best[c] != best[c]) continue;  // a window holding NaN passes no gradient
        dx_rows[static_cast<int64_t>(where[c]) * C + c] += g[c];
      }
    }
  }
}

// ---- softmax over rows ----

namespace {

// 2^(j/32) for j = 0..31, the doubles JavaScript's 2 ** (j / 32) gives (src/registration/exp_non_positive.ts builds
// its table so); written out because a C library's pow need not round each of them the same way.
const double kPow2Fraction[32] = {
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
  Pow2Int() {
    for (int m = 0; m < 153; ++m) v[m] = std::ldexp(1.0, -m);
  }
};
const Pow2Int kPow2IntTable;
const double* const kPow2Int = kPow2IntTable.v;

// exp_non_positive.ts's e^d for d <= 0 (or NaN), operation for operation in double precision: the same bits.
double exp_non_positive(double d) {
  const double kLn2Over32High = 6.93147180369123816490e-1 / 32;
  const double kLn2Over32Low = 1.90821492927058770002e-10 / 32;
  const double kInvLn2Over32 = 32 / 0.6931471805599453;  // Math.LN2
  const double kRounder = 6755399441055744.0;          // 1.5 * 2^52
  if (!(d >= -104)) return d != d ? std::numeric_limits<double>::quiet_NaN() : 0.0;  // NaN as JavaScript's NaN
  if (d > 0) d = 0;
  const double n = d * kInvLn2Over32 + kRounder - kRounder;
  const double r = d - n * kLn2Over32High - n * kLn2Over32Low;
  const int32_t k = static_cast<int32_t>(n);  // in [-4800, 0]: n is integral
  const double p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
  return kPow2Int[-(k >> 5)] * kPow2Fraction[k & 31] * p;
}

}  // namespace

void softmax_rows(const float* values, int64_t count, int64_t width, float* out) {
  for (int64_t start = 0; start < count; start += width) {
    const int64_t end = start + width;
    double max = -std::numeric_limits<double>::infinity();
    bool has_nan = false;
    for (int64_t i = start; i < end; ++i) {
      const double v = values[i];
      if (v > max) max = v;
      else if (v != v) has_nan = true;
    }
    if (has_nan) max = std::numeric_limits<double>::quiet_NaN();
    double sum = 0;
    for (int64_t i = start; i < end; ++i) {
      const double e = exp_non_positive(static_cast<double>(values[i]) - max);
      out[i] = static_cast<float>(e);
      sum += e;
    }
    const double inverse = 1 / sum;
    for (int64_t i = start; i < end; ++i) out[i] = static_cast<float>(static_cast<double>(out[i]) * inverse);
  }
}

}  // namespace rk
