#include "row_ops.h"

#include "compute_context.h"

#include <algorithm>
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

// The selected instruction set's rows (softmax_rows.inc): the same bits on every one.
void softmax_rows(const float* values, int64_t count, int64_t width, float* out) {
  current_isa()->softmax_rows(values, count, width, out);
}

}  // namespace rk
