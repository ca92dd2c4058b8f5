#include "row_ops_napi.h"

#include <string>

#include "compute_context.h"
#include "napi_args.h"
#include "result_buffers.h"
#include "row_ops.h"

namespace rk {
namespace {

// Throws naming the first row outside [0, table_rows).
void check_rows(Napi::Env env, const int32_t* rows, int64_t n, int64_t table_rows) {
  for (int64_t i = 0; i < n; ++i) {
    if (rows[i] < 0 || rows[i] >= table_rows)
      throw_error(env, "rows: row " + std::to_string(rows[i]) + " (at position " + std::to_string(i) + ") is outside [0, " +
                           std::to_string(table_rows) + ")");
  }
}

Napi::Float32Array result_array(Napi::Env env, int64_t count) {
  const size_t bytes = static_cast<size_t>(count) * sizeof(float);
  check_result_bytes(bytes);
  return new_result_array(env, static_cast<size_t>(count));
}

enum PoolArg : int { kBatch, kSteps, kChannels, kPoolSize, kStrides, kPadBefore, kOutLength, kX, kDy };
const char* const kPoolArgNames[] = {"batch", "steps", "channels", "poolSize", "strides", "padBefore", "outLength", "x", "dy"};

MaxPool1DProblem read_pool_problem(const Napi::CallbackInfo& info, int count) {
  Napi::Env env = info.Env();
  refuse_unsafe_buffers(info, kPoolArgNames, count);
  MaxPool1DProblem p;
  p.batch = dim_value(env, info[kBatch], "batch");
  p.steps = dim_value(env, info[kSteps], "steps");
  p.channels = dim_value(env, info[kChannels], "channels");
  p.pool = positive_value(env, info[kPoolSize], "poolSize");
  p.stride = positive_value(env, info[kStrides], "strides");
  p.pad_before = dim_value(env, info[kPadBefore], "padBefore");
  p.out_length = dim_value(env, info[kOutLength], "outLength");
  p.x = float_array(env, info[kX], "x", {p.batch, p.steps, p.channels}, false);
  return p;
}

}  // namespace

Napi::Value gather_rows_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static const char* const names[] = {"table", "tableRows", "width", "rows"};
  if (info.Length() < 4) throw_type_error(env, "gatherRows: expected (table, tableRows, width, rows)");
  refuse_unsafe_buffers(info, names, 4);
  const int64_t table_rows = dim_value(env, info[1], "tableRows");
  const int64_t width = dim_value(env, info[2], "width");
  const float* table = float_array(env, info[0], "table", {table_rows, width}, false);
  int64_t n = 0;
  const int32_t* rows = int32_array(env, info[3], "rows", &n);
  check_rows(env, rows, n, table_rows);
  Napi::Float32Array out = result_array(env, checked_product(env, "result", {n, width}));
  gather_rows(table, width, rows, n, out.Data());
  return out;
}

Napi::Value scatter_add_rows_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static const char* const names[] = {"values", "rows", "tableRows", "width"};
  if (info.Length() < 4) throw_type_error(env, "scatterAddRows: expected (values, rows, tableRows, width)");
  refuse_unsafe_buffers(info, names, 4);
  int64_t n = 0;
  const int32_t* rows = int32_array(env, info[1], "rows", &n);
  const int64_t table_rows = dim_value(env, info[2], "tableRows");
  const int64_t width = dim_value(env, info[3], "width");
  const float* values = float_array(env, info[0], "values", {n, width}, false);
  check_rows(env, rows, n, table_rows);
  Napi::Float32Array grad = result_array(env, checked_product(env, "result", {table_rows, width}));
  scatter_add_rows(values, rows, n, table_rows, width, grad.Data());
  return grad;
}

Napi::Value max_pool1d_forward_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < kDy)
    throw_type_error(env, "maxPool1dForward: expected (batch, steps, channels, poolSize, strides, padBefore, outLength, x)");
  const MaxPool1DProblem p = read_pool_problem(info, kDy);
  Napi::Float32Array out = result_array(env, checked_product(env, "result", {p.batch, p.out_length, p.channels}));
  max_pool1d_forward(p, out.Data());
  return out;
}

Napi::Value max_pool1d_backward_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() <= kDy)
    throw_type_error(env, "maxPool1dBackward: expected (batch, steps, channels, poolSize, strides, padBefore, outLength, x, dy)");
  const MaxPool1DProblem p = read_pool_problem(info, kDy + 1);
  const float* dy = float_array(env, info[kDy], "dy", {p.batch, p.out_length, p.channels}, false);
  Napi::Float32Array dx = result_array(env, checked_product(env, "dx", {p.batch, p.steps, p.channels}));
  max_pool1d_backward(p, dy, dx.Data());
  return dx;
}

Napi::Value softmax_rows_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static const char* const names[] = {"values", "width", "out"};
  if (info.Length() < 3) throw_type_error(env, "softmaxRows: expected (values, width, out)");
  refuse_unsafe_buffers(info, names, 3);
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw_type_error(env, "values: expected a Float32Array");
  const int64_t count = static_cast<int64_t>(info[0].As<Napi::TypedArray>().ElementLength());
  const int64_t width = positive_value(env, info[1], "width");
  if (count % width != 0)
    throw_error(env, "values: " + std::to_string(count) + " elements are not rows of " + std::to_string(width));
  const float* values = float_array(env, info[0], "values", {count}, false);
  float* out = float_array_mut(env, info[2], "out", {count});
  softmax_rows(values, count, width, out);
  return env.Undefined();
}

}  // namespace rk
