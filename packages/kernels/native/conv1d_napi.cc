#include "conv1d_napi.h"

#include <string>

#include "conv1d.h"
#include "napi_args.h"
#include "result_buffers.h"

namespace rk {
namespace {

// Argument positions: [0, kKernel] shared by both calls; forward adds bias and activation, backward the
// activation, dy, which gradients to compute, and the forward's output y.
enum Conv1DArg : int { kBatch, kLength, kChannels, kFilters, kKernelSize, kStride, kDilation, kX, kKernel };
enum Conv1DForwardArg : int { kFwdBias = kKernel + 1, kFwdActivation, kForwardArgCount };
enum Conv1DBackwardArg : int { kBackActivation = kKernel + 1, kBackDy, kBackWantDx, kBackWantDBias, kBackY, kBackwardArgCount };
const char* const kForwardNames[] = {"batch", "length", "channels", "filters", "kernelSize", "stride",
                                     "dilation", "x", "kernel", "bias", "activation"};
const char* const kBackwardNames[] = {"batch", "length", "channels", "filters", "kernelSize", "stride", "dilation", "x",
                                      "kernel", "activation", "dy", "computeInputGradient", "computeBiasGradient", "y"};

// Whether the activation after the product (and bias) is relu: 'linear' or 'relu'.
bool relu_activation(Napi::Env env, const Napi::Value& v) {
  const std::string activation = string_value(env, v, "activation");
  if (activation != "linear" && activation != "relu") throw_error(env, "activation: expected 'linear' or 'relu', got '" + activation + "'");
  return activation == "relu";
}

// Reads and checks the arguments [0, kKernel] (every buffer of [0, count) first, before any data pointer is taken).
Conv1DProblem read_problem(const Napi::CallbackInfo& info, const char* const* names, int count) {
  Napi::Env env = info.Env();
  refuse_unsafe_buffers(info, names, count);
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
  if (info.Length() < kForwardArgCount)
    throw_type_error(env, "conv1dForward: expected (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, bias, activation)");
  const Conv1DProblem p = read_problem(info, kForwardNames, kForwardArgCount);
  const float* bias = float_array(env, info[kFwdBias], "bias", {p.filters}, true);
  const bool relu = relu_activation(env, info[kFwdActivation]);
  const int64_t count = checked_product(env, "y", {p.batch, p.steps, p.filters});
  const size_t bytes = static_cast<size_t>(count) * sizeof(float);
  check_result_bytes(bytes);
  Napi::Float32Array y = result_array(env, count);
  {
    ContextLease lease(bytes);
    conv1d_forward(lease.context(), p, y.Data());
  }
  if (bias != nullptr || relu) conv1d_bias_activation(p.batch * p.steps, p.filters, bias, relu, y.Data());
  return y;
}

Napi::Value conv1d_backward_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < kBackwardArgCount)
    throw_type_error(env, "conv1dBackward: expected (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, activation, dy, "
                          "computeInputGradient, computeBiasGradient, y)");
  const Conv1DProblem p = read_problem(info, kBackwardNames, kBackwardArgCount);
  const bool relu = relu_activation(env, info[kBackActivation]);
  const float* dy = float_array(env, info[kBackDy], "dy", {p.batch, p.steps, p.filters}, false);
  const bool want_dx = bool_value(env, info[kBackWantDx], "computeInputGradient", true);
  const bool want_db = bool_value(env, info[kBackWantDBias], "computeBiasGradient", false);
  // relu's gradient masks by the activated output, which only the forward computed.
  const float* y = float_array(env, info[kBackY], "y", {p.batch, p.steps, p.filters}, !relu);
  const int64_t dx_count = want_dx ? checked_product(env, "dx", {p.batch, p.length, p.channels}) : 0;
  const int64_t dk_count = checked_product(env, "dKernel", {p.taps, p.channels, p.filters});
  const int64_t db_count = want_db ? p.filters : 0;
  const size_t bytes = static_cast<size_t>(dx_count + dk_count + db_count) * sizeof(float);
  check_result_bytes(bytes);
  Napi::Float32Array dx = result_array(env, dx_count);
  Napi::Float32Array dk = result_array(env, dk_count);
  Napi::Float32Array db = result_array(env, db_count);
  {
    ContextLease lease(bytes);
    const int64_t rows = p.batch * p.steps;
    // The gradient of the product: dy itself unless relu masks it (into scratch).
    const float* dz = dy;
    if (relu) {
      float* masked = lease.context().scratch->floats(static_cast<size_t>(rows * p.filters));
      relu_output_gradient(rows * p.filters, dy, y, masked);
      dz = masked;
    }
    if (want_db) bias_gradient(lease.context(), rows, p.filters, dz, db.Data());
    conv1d_backward(lease.context(), p, dz, want_dx ? dx.Data() : nullptr, dk.Data());
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("dx", dx);
  result.Set("dKernel", dk);
  result.Set("dBias", db);
  return result;
}

}  // namespace rk
