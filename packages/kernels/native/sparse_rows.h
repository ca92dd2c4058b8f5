// Inputs that are mostly zeros (the one-hot characters or words of a text model) make the input
// projection x·K and the kernel gradient x^T·dZ mostly multiplications by zero. When few enough
// elements of x are nonzero, the recurrent kernels list them once and multiply only those, one row
// of K (or of dZ) per nonzero, through the matrix-vector kernel with a depth of one.
//
// The results equal the dense products': both add the terms of a sum in the same order, each with a
// fused multiply-add, starting from zero, and a skipped term x*k with x = 0 adds zero (the other
// operand is checked to be finite first: 0 * inf would be NaN).
#pragma once
#include <cstdint>

#include "compute_context.h"

namespace rk {

// The nonzeros of a row-major [rows x cols] matrix, row by row, columns ascending.
struct SparseRows {
  int64_t rows = 0;
  const int32_t* start = nullptr;  // rows + 1 offsets into col and val
  const int32_t* col = nullptr;
  const float* val = nullptr;
};

// Lists the nonzeros of A into scratch memory when they are at most `max_density` of its elements
// (ComputeContext::max_sparse_density); otherwise returns false, having stopped reading A as soon as
// the limit was passed (a dense matrix costs a small fraction of one pass over it).
bool find_sparse_rows(const ComputeContext& e, int64_t rows, int64_t cols, const float* A, SparseRows* out);

// Whether no value is NaN or infinite.
bool all_finite(int64_t n, const float* v);

// c[0:n] = row r of A · B, for B row-major with row stride ldb.
void sparse_row_product(const IsaTable* isa, const SparseRows& A, int64_t r, const float* B, int64_t ldb, int64_t n,
                        float* c);

// C[rows x n] = A · B, row r of C at C + r*ldc: sparse_row_product for every row, the rows shared among the
// threads of the compute context when there are enough multiply-adds to pay for the hand-off (a row's sums are
// the same whichever thread computes them).
void sparse_rows_product(const ComputeContext& e, const SparseRows& A, const float* B, int64_t ldb, int64_t n, float* C,
                         int64_t ldc);

// C[cols x n] = A^T · Z, for Z [rows x n] with row stride ldz, C with row stride ldc. With enough multiply-adds the
// threads share C's columns, each adding its columns' terms over the rows in the same order.
void sparse_transposed_product(const ComputeContext& e, const SparseRows& A, int64_t cols, const float* Z, int64_t ldz,
                               int64_t n, float* C, int64_t ldc);

}  // namespace rk
