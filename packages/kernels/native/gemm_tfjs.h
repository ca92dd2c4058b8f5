// The matrix product of TensorFlow.js's own 'cpu' kernels, bit for bit: what the BatchMatMul and
// _FusedMatMul overrides run, so that importing the library changes no result of a user's tfjs code.
// The rounding is described in isa_tfjs_gemm.inc; this file cuts the work into tasks for the threads.
#pragma once
#include <cstdint>

#include "compute_context.h"

namespace rk {

// C[m x n] (row stride ldc) = op(A)·op(B), op(A) m x k, op(B) k x n, A and B row-major with row strides
// lda and ldb (op = transpose when transA / transB). Every element is the value tfjs 4.22 computes.
void tfjs_matmul(const ComputeContext& e, bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* A,
                 int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc);

}  // namespace rk
