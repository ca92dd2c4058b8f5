#include "gemm_tfjs.h"

#include <algorithm>
#include <cstring>

#include "task_phases.h"

namespace rk {

namespace {

// Rows and columns of C per task: a task reads a k x 128 strip of B for 32 rows of A.
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

// Columns [j0, j1) of op(B) = B^T (B is n x k) into a row-major k x n copy.
void transpose_columns(int64_t j0, int64_t j1, int64_t k, int64_t n, const float* B, int64_t ldb, float* out) {
  for (int64_t j = j0; j < j1; ++j)
    for (int64_t p = 0; p < k; ++p) out[p * n + j] = B[j * ldb + p];
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
  const float* b = B;
  int64_t b_ld = ldb;
  float* transposed_b = nullptr;
  if (transB) {
    transposed_b = e.scratch->floats(static_cast<size_t>(k * n));
    b = transposed_b;
    b_ld = n;
  }
  const int64_t row_blocks = (m + kRowsPerTask - 1) / kRowsPerTask;
  const int64_t column_blocks = (n + kColumnsPerTask - 1) / kColumnsPerTask;
  const int nt = static_cast<double>(m) * n * k >= kMinParallelMacs ? e.threads() : 1;
  // Phase 0 widens A (a task per row block) and transposes B (a task per column block); phase 1 multiplies.
  const int64_t prepare = row_blocks + (transB ? column_blocks : 0);
  const int64_t offsets[3] = {0, prepare, prepare + row_blocks * column_blocks};
  const IsaTable* isa = e.isa;
  PhaseRunner(2, offsets).run(e, nt, [&](int, int64_t phase, int64_t t) {
    if (phase == 0) {
      if (t < row_blocks) {
        const int64_t i0 = t * kRowsPerTask;
        widen_rows(transA, i0, std::min(m, i0 + kRowsPerTask), k, A, lda, wide_a);
      } else {
        const int64_t j0 = (t - row_blocks) * kColumnsPerTask;
        transpose_columns(j0, std::min(n, j0 + kColumnsPerTask), k, n, B, ldb, transposed_b);
      }
      return;
    }
    const int64_t i0 = (t / column_blocks) * kRowsPerTask, j0 = (t % column_blocks) * kColumnsPerTask;
    const int64_t rows = std::min(kRowsPerTask, m - i0), cols = std::min(kColumnsPerTask, n - j0);
    isa->tfjs_gemm(rows, cols, k, wide_a + i0 * k, k, b + j0, b_ld, C + i0 * ldc + j0, ldc);
  });
}

}  // namespace rk
