// A 1-D convolution (channels_last, one group) over an input the caller has already padded:
//   y[b, t, f] = sum_j sum_c x[b, t*stride + j*dilation, c] * kernel[j, c, f]
// for t < steps = floor((length - dilation*(taps-1) - 1) / stride) + 1, and its gradients. The products
// run on the GEMM micro-kernel reading x in place (a row of the implicit patch matrix starts every
// stride*channels floats), so no patch matrix is ever copied.
#pragma once
#include <cstdint>

#include "compute_context.h"

namespace rk {

struct Conv1DProblem {
  int64_t batch = 0, length = 0, channels = 0, filters = 0;
  int64_t taps = 1, stride = 1, dilation = 1;
  int64_t steps = 0;              // output steps, conv1d_steps()
  const float* x = nullptr;       // [batch, length, channels]
  const float* kernel = nullptr;  // [taps, channels, filters]
};

// Output steps of a window of `taps` over `length` steps, or -1 when one window does not fit.
int64_t conv1d_steps(int64_t length, int64_t taps, int64_t stride, int64_t dilation);

// y [rows, filters] += bias (when not null), then max(0, y) when `relu` (NaN staying NaN): the layer's
// bias and activation, each the same float operation as the separate ops it replaces.
void conv1d_bias_activation(int64_t rows, int64_t filters, const float* bias, bool relu, float* y);

// relu's gradient by its activated output y: dz = dy where y is positive, dy * 0 where it is not, NaN
// where y is NaN (dy times relu's step, as the separate ops compute it).
void relu_output_gradient(int64_t n, const float* dy, const float* y, float* dz);

// d_bias [filters] = ones[1, rows] · dz [rows, filters], rounded as tfjs's matrix product rounds it: the
// layer's bias gradient was that product (KernelBias.addBias), so the values stay the same bits.
void bias_gradient(const ComputeContext& e, int64_t rows, int64_t filters, const float* dz, float* d_bias);

// y [batch, steps, filters], every element written.
void conv1d_forward(const ComputeContext& e, const Conv1DProblem& p, float* y);

// From dy [batch, steps, filters]: d_kernel [taps, channels, filters] and, unless dx is null, dx [batch,
// length, channels] (zero where no window reads x). Every element of both is written.
void conv1d_backward(const ComputeContext& e, const Conv1DProblem& p, const float* dy, float* dx, float* d_kernel);

}  // namespace rk
