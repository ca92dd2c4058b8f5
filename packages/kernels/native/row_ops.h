// Row gathers and window maxima over channels-last arrays: the embedding lookup and its gradient, and
// 1-D max pooling and its gradient. Each is one pass of plain loops over contiguous rows (the channels
// are the contiguous axis, so a window's scan is a vector maximum over whole rows); the arithmetic is
// that of the TypeScript kernels (src/typescript/row_ops.ts) in the same order, so the results are the
// same bits.
#pragma once
#include <cstdint>

namespace rk {

// out[i, :] = table[rows[i], :] for i < n; every rows[i] in [0, table_rows) (checked by the caller).
void gather_rows(const float* table, int64_t width, const int32_t* rows, int64_t n, float* out);

// grad [table_rows, width] = 0, then grad[rows[i], :] += values[i, :] for i in order.
void scatter_add_rows(const float* values, const int32_t* rows, int64_t n, int64_t table_rows, int64_t width, float* grad);

// Windows of `pool` steps every `stride` steps over axis 1 of x [batch, steps, channels]; window t covers
// steps [t*stride - pad_before, ... + pool), steps outside [0, steps) being padding that never wins.
struct MaxPool1DProblem {
  int64_t batch = 0, steps = 0, channels = 0;
  int64_t pool = 1, stride = 1, pad_before = 0, out_length = 0;
  const float* x = nullptr;
};

// out [batch, out_length, channels]: each window's maximum per channel (NaN once a NaN is seen;
// -Infinity for a window of padding only).
void max_pool1d_forward(const MaxPool1DProblem& p, float* out);

// dx [batch, steps, channels] = 0, then each window's dy added to the step of its first maximum (a window
// whose maximum is NaN passes nothing).
void max_pool1d_backward(const MaxPool1DProblem& p, const float* dy, float* dx);

// The 'SoftmaxLastAxis' rows of src/ops/softmax_rows.ts, operation for operation in double precision (the maximum
// subtracted, e^d as exp_non_positive.ts computes it, the sum in order, each value scaled by the sum's inverse), so
// the results are the JavaScript loop's bits. `out` may be `values`. count is a multiple of width >= 1.
void softmax_rows(const float* values, int64_t count, int64_t width, float* out);

}  // namespace rk
