#include "gemm_tfjs.h"

#include <algorithm>
#include <cstring>

#include "task_phases.h"

namespace rk {

namespace {

// Rows and columns of C per task: a task reads a k x 128 strip of B for 32 rows of A (128 is a
// multiple of 16, so every task's B stays readable in whole vectors).
const int64_t kRowsPerTask = 32;
const int64_t kColumnsPerTask = 128;
// Below this many multiply-adds a product runs on one thread (waking the pool costs more).
const double kMinParallelMacs = 1.0e6;

// Rows [i0, i1) of op(A) into float64, row-major with row stride k (exact: every float is a double).
void widen_rows(bool transA, int64_t i0, int64_t i1, int64_t k, const float* A, int64_t lda, double* out) {
  for (int64_t i = i0; i < i1; ++i) {
    double* row = out + i * k;
    if (transA)
      for (int64_t p = 0; p < k; ++p) row[p] = A[p * lda + i];
    else
      for (int64_t p = 0; p < k; ++p) row[p] = A[i * lda + p];
  }
}

// Columns [j0, j1) of op(B) into a row-major k x ldo copy; columns from n on are zeros.
void copy_columns(bool transB, int64_t j0, int64_t j1, int64_t k, int64_t n, const float* B, int64_t ldb, float* out,
                  int64_t ldo) {
  for (int64_t j = j0; j < j1; ++j) {
    if (j >= n)
      for (int64_t p = 0; p < k; ++p) out[p * ldo + j] = 0.0f;
    else if (transB)
      for (int64_t p = 0; p < k; ++p) out[p * ldo + j] = B[j * ldb + p];
    else
      for (int64_t p = 0; p < k; ++p) out[p * ldo + j] = B[p * ldb + j];
  }
}

}  // namespace

void tfjs_matmul(const ComputeContext& e, bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* A,
                 int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // tfjs's result buffer starts at zero
    for (int64_t i = 0; i < m; ++i) std::memset(C + i * ldc, 0, n * sizeof(float));
    return;
  }
  double* wide_a = reinterpret_cast<double*>(e.scratch->floats(static_cast<size_t>(2 * m * k)));
  // The kernels read B in whole vectors: a transposed B, or one whose columns are not a multiple of
  // 16, is copied into a row-major, zero-padded k x padded_n array.
  const int64_t padded_n = (n + 15) / 16 * 16;
  const bool copy_b = transB || padded_n != n;
  const float* b = B;
  int64_t b_ld = ldb;
  float* copied_b = nullptr;
  if (copy_b) {
    copied_b = e.scratch->floats(static_cast<size_t>(k * padded_n));
    b = copied_b;
    b_ld = padded_n;
  }
  const int64_t row_blocks = (m + kRowsPerTask - 1) / kRowsPerTask;
  const int64_t column_blocks = (n + kColumnsPerTask - 1) / kColumnsPerTask;
  const int nt = static_cast<double>(m) * n * k >= kMinParallelMacs ? e.threads() : 1;
  // Phase 0 widens A (a task per row block) and copies B (a task per column block); phase 1 multiplies.
  const int64_t prepare = row_blocks + (copy_b ? column_blocks : 0);
  const int64_t offsets[3] = {0, prepare, prepare + row_blocks * column_blocks};
  const IsaTable* isa = e.isa;
  PhaseRunner(2, offsets).run(e, nt, [&](int, int64_t phase, int64_t t) {
    if (phase == 0) {
      if (t < row_blocks) {
        const int64_t i0 = t * kRowsPerTask;
        widen_rows(transA, i0, std::min(m, i0 + kRowsPerTask), k, A, lda, wide_a);
      } else {
        const int64_t j0 = (t - row_blocks) * kColumnsPerTask;
        copy_columns(transB, j0, std::min(padded_n, j0 + kColumnsPerTask), k, n, B, ldb, copied_b, padded_n);
      }
      return;
    }
    const int64_t i0 = (t / column_blocks) * kRowsPerTask, j0 = (t % column_blocks) * kColumnsPerTask;
    const int64_t rows = std::min(kRowsPerTask, m - i0), cols = std::min(kColumnsPerTask, n - j0);
    isa->tfjs_gemm(rows, cols, k, wide_a + i0 * k, k, b + j0, b_ld, C + i0 * ldc + j0, ldc);
  });
}

}  // namespace rk
