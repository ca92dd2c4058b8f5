#include "sparse_rows.h"

#include <cstring>

namespace rk {

namespace {

// Whether all n floats are zero (of either sign): an OR over the bits without the sign, which vectorizes.
inline bool all_zero(const float* v, int64_t n) {
  uint32_t any = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, v + i, sizeof bits);
    any |= bits & 0x7fffffffu;
  }
  return any == 0;
}

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
  const int64_t kBlock = 16;  // zero blocks are skipped after one vector test
  int64_t nnz = 0;
  for (int64_t r = 0; r < rows; ++r) {
    start[r] = static_cast<int32_t>(nnz);
    const float* row = A + r * cols;
    for (int64_t c0 = 0; c0 < cols; c0 += kBlock) {
      const int64_t c1 = c0 + kBlock < cols ? c0 + kBlock : cols;
      if (all_zero(row + c0, c1 - c0)) continue;
      for (int64_t c = c0; c < c1; ++c) {
        if (row[c] == 0.0f) continue;
        if (nnz == limit) return false;
        col[nnz] = static_cast<int32_t>(c);
        val[nnz] = row[c];
        ++nnz;
      }
    }
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

void sparse_transposed_product(const IsaTable* isa, const SparseRows& A, int64_t cols, const float* Z, int64_t ldz,
                               int64_t n, float* C, int64_t ldc) {
  for (int64_t c = 0; c < cols; ++c) std::memset(C + c * ldc, 0, static_cast<size_t>(n) * sizeof(float));
  for (int64_t r = 0; r < A.rows; ++r)
    for (int32_t i = A.start[r]; i < A.start[r + 1]; ++i) isa->gemv(1, A.val + i, 1, Z + r * ldz, ldz, n, C + A.col[i] * ldc, 1);
}

}  // namespace rk
