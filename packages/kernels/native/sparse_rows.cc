#include "sparse_rows.h"

#include <algorithm>
#include <cstring>

#include "task_phases.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rk {

namespace {

// Bit i set when v[i] is not zero (NaN counts as nonzero; -0 as zero), for 16 floats.
#if defined(__SSE2__)
inline uint32_t nonzero_bits16(const float* v) {
  const __m128 zero = _mm_setzero_ps();
  uint32_t bits = 0;
  for (int q = 0; q < 4; ++q)
    bits |= static_cast<uint32_t>(_mm_movemask_ps(_mm_cmpneq_ps(_mm_loadu_ps(v + 4 * q), zero))) << (4 * q);
  return bits;
}
#else
inline uint32_t nonzero_bits16(const float* v) {
  uint32_t bits = 0;
  for (int i = 0; i < 16; ++i) bits |= static_cast<uint32_t>(v[i] != 0.0f) << i;
  return bits;
}
#endif

}  // namespace

bool find_sparse_rows(const ComputeContext& e, int64_t rows, int64_t cols, const float* A, SparseRows* out) {
  const double elements = static_cast<double>(rows) * static_cast<double>(cols);
  const double limit_d = e.max_sparse_density * elements;
  // Offsets are 32-bit: beyond that the matrix is not worth listing anyway.
  if (rows <= 0 || cols <= 0 || !(limit_d >= 1.0) || limit_d > 2.0e9) return false;
  const int64_t limit = static_cast<int64_t>(limit_d);
  int32_t* start = reinterpret_cast<int32_t*>(e.scratch->floats(static_cast<size_t>(rows + 1)));
  int32_t* col = reinterpret_cast<int32_t*>(e.scratch->floats(static_cast<size_t>(limit)));
  float* val = e.scratch->floats(static_cast<size_t>(limit));
  int64_t nnz = 0;
  auto add = [&](const float* row, int64_t c) {
    if (nnz == limit) return false;
    col[nnz] = static_cast<int32_t>(c);
    val[nnz] = row[c];
    ++nnz;
    return true;
  };
  for (int64_t r = 0; r < rows; ++r) {
    start[r] = static_cast<int32_t>(nnz);
    const float* row = A + r * cols;
    int64_t c0 = 0;
    for (; c0 + 16 <= cols; c0 += 16) {  // 16 at a time: a zero block costs one test
      for (uint32_t bits = nonzero_bits16(row + c0); bits != 0; bits &= bits - 1)
        if (!add(row, c0 + __builtin_ctz(bits))) return false;
    }
    const int64_t tail = cols - c0;
    if (tail > 0 && cols >= 16) {
      // The tail's columns are the last `tail` of the 16 that end the row: one more block test rather
      // than a compare and an unpredictable branch per column (60 one-hot features: 12 of them per row).
      for (uint32_t bits = nonzero_bits16(row + cols - 16) >> (16 - tail); bits != 0; bits &= bits - 1)
        if (!add(row, c0 + __builtin_ctz(bits))) return false;
      continue;
    }
    for (int64_t c = c0; c < cols; ++c)
      if (row[c] != 0.0f && !add(row, c)) return false;
  }
  start[rows] = static_cast<int32_t>(nnz);
  out->rows = rows;
  out->start = start;
  out->col = col;
  out->val = val;
  return true;
}

bool all_finite(int64_t n, const float* v) {
  // An exponent of all ones marks both NaN and infinity; an OR over integer flags vectorizes.
  uint32_t bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, v + i, sizeof bits);
    bad |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
  }
  return bad == 0;
}

void sparse_row_product(const IsaTable* isa, const SparseRows& A, int64_t r, const float* B, int64_t ldb, int64_t n,
                        float* c) {
  const int32_t begin = A.start[r], end = A.start[r + 1];
  if (begin == end) {
    std::memset(c, 0, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  for (int32_t i = begin; i < end; ++i) isa->gemv(1, A.val + i, 1, B + A.col[i] * ldb, ldb, n, c, i == begin ? 0 : 1);
}

// The threads for a product over the nonzeros of A with n columns: all of them from this many multiply-adds
// on (each is about a copied element, and pack_b shares copies from the same size), else one.
static int sparse_product_threads(const ComputeContext& e, const SparseRows& A, int64_t n) {
  const int64_t nonzeros = A.rows > 0 ? A.start[A.rows] : 0;
  return nonzeros * n >= 65536 ? e.threads() : 1;
}

void sparse_rows_product(const ComputeContext& e, const SparseRows& A, const float* B, int64_t ldb, int64_t n, float* C,
                         int64_t ldc) {
  const int nt = sparse_product_threads(e, A, n);
  const int64_t tasks = std::min<int64_t>(A.rows, 4 * static_cast<int64_t>(nt));
  if (tasks <= 0) return;
  const int64_t offsets[2] = {0, tasks};
  PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t t) {
    for (int64_t r = A.rows * t / tasks; r < A.rows * (t + 1) / tasks; ++r) sparse_row_product(e.isa, A, r, B, ldb, n, C + r * ldc);
  });
}

void sparse_transposed_product(const ComputeContext& e, const SparseRows& A, int64_t cols, const float* Z, int64_t ldz,
                               int64_t n, float* C, int64_t ldc) {
  // Chunks of C's columns, four per thread, in whole vectors (multiples of 16 floats) of at least 32.
  const int nt = sparse_product_threads(e, A, n);
  const int64_t per_task = std::max<int64_t>(32, (n + 4 * nt - 1) / (4 * nt));
  const int64_t chunk = (per_task + 15) / 16 * 16;
  const int64_t tasks = (n + chunk - 1) / chunk;
  if (tasks <= 0) return;
  const int64_t offsets[2] = {0, tasks};
  PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t t) {
    const int64_t c0 = t * chunk, width = std::min(chunk, n - c0);
    for (int64_t c = 0; c < cols; ++c) std::memset(C + c * ldc + c0, 0, static_cast<size_t>(width) * sizeof(float));
    for (int64_t r = 0; r < A.rows; ++r)
      for (int32_t i = A.start[r]; i < A.start[r + 1]; ++i)
        e.isa->gemv(1, A.val + i, 1, Z + r * ldz + c0, ldz, width, C + A.col[i] * ldc + c0, 1);
  });
}

}  // namespace rk
