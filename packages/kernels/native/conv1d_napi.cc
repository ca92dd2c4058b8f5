#include "conv1d_napi.h"

#include <string>

#include "conv1d.h"
#include "napi_args.h"
#include "result_buffers.h"

namespace rk {
namespace {

// Argument positions, shared by both calls (backward adds dy and computeInputGradient).
enum Conv1DArg : int { kBatch, kLength, kChannels, kFilters, kKernelSize, kStride, kDilation, kX, kKernel, kDy, kWantDx };
const char* const kArgNames[] = {"batch",  "length", "channels", "filters", "kernelSize", "stride",
                                 "dilation", "x",    "kernel",   "dy",      "computeInputGradient"};

int64_t positive_value(Napi::Env env, const Napi::Value& v, const char* name) {
  const int64_t n = dim_value(env, v, name);
  if (n < 1) throw_error(env, std::string(name) + ": expected a positive integer, got 0");
  return n;
}

// Reads and checks the arguments [0, kKernel] (every buffer first, before any data pointer is taken).
Conv1DProblem read_problem(const Napi::CallbackInfo& info, int count) {
  Napi::Env env = info.Env();
  for (int i = 0; i < count; ++i) refuse_unsafe_buffer(env, info[static_cast<size_t>(i)], kArgNames[i]);
  Conv1DProblem p;
  p.batch = dim_value(env, info[kBatch], "batch");
  p.length = dim_value(env, info[kLength], "length");
  p.channels = dim_value(env, info[kChannels], "channels");
  p.filters = dim_value(env, info[kFilters], "filters");
  p.taps = positive_value(env, info[kKernelSize], "kernelSize");
  p.stride = positive_value(env, info[kStride], "stride");
  p.dilation = positive_value(env, info[kDilation], "dilation");
  p.steps = conv1d_steps(p.length, p.taps, p.stride, p.dilation);
  if (p.steps < 0) {
    throw_error(env, "length: the input has " + std::to_string(p.length) + " steps, fewer than the " +
                         std::to_string(p.dilation * (p.taps - 1) + 1) + " one window of kernelSize " + std::to_string(p.taps) +
                         " and dilation " + std::to_string(p.dilation) + " covers; pad it or use a smaller window");
  }
  p.x = float_array(env, info[kX], "x", {p.batch, p.length, p.channels}, false);
  p.kernel = float_array(env, info[kKernel], "kernel", {p.taps, p.channels, p.filters}, false);
  return p;
}

Napi::Float32Array result_array(Napi::Env env, int64_t count) { return new_result_array(env, static_cast<size_t>(count)); }

}  // namespace

Napi::Value conv1d_forward_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < kDy) throw_type_error(env, "conv1dForward: expected (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel)");
  const Conv1DProblem p = read_problem(info, kDy);
  const int64_t count = checked_product(env, "y", {p.batch, p.steps, p.filters});
  const size_t bytes = static_cast<size_t>(count) * sizeof(float);
  check_result_bytes(bytes);
  Napi::Float32Array y = result_array(env, count);
  {
    ContextLease lease(bytes);
    conv1d_forward(lease.context(), p, y.Data());
  }
  return y;
}

Napi::Value conv1d_backward_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() <= kWantDx)
    throw_type_error(env, "conv1dBackward: expected (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, dy, computeInputGradient)");
  const Conv1DProblem p = read_problem(info, kWantDx + 1);
  const float* dy = float_array(env, info[kDy], "dy", {p.batch, p.steps, p.filters}, false);
  const bool want_dx = bool_value(env, info[kWantDx], "computeInputGradient", true);
  const int64_t dx_count = want_dx ? checked_product(env, "dx", {p.batch, p.length, p.channels}) : 0;
  const int64_t dk_count = checked_product(env, "dKernel", {p.taps, p.channels, p.filters});
  const size_t bytes = static_cast<size_t>(dx_count + dk_count) * sizeof(float);
  check_result_bytes(bytes);
  Napi::Float32Array dx = result_array(env, dx_count);
  Napi::Float32Array dk = result_array(env, dk_count);
  {
    ContextLease lease(bytes);
    conv1d_backward(lease.context(), p, dy, want_dx ? dx.Data() : nullptr, dk.Data());
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("dx", dx);
  result.Set("dKernel", dk);
  return result;
}

}  // namespace rk
