// N-API entry points of the fused recurrent kernels. forward and backward take the fields of the
// ForwardRequest and BackwardRequest of packages/kernels/src/spec.ts as positional arguments, in
// the order `requestFields` lists; every value is checked (napi_args.cc) before the kernels run,
// and every failure becomes a JS exception.
#include <napi.h>

#include <cstring>
#include <new>
#include <string>

#include "compute_context.h"
#include "conv1d_napi.h"
#include "gemm.h"
#include "gemm_tfjs.h"
#include "napi_args.h"
#include "optimizer_update_napi.h"
#include "result_buffers.h"
#include "row_ops_napi.h"
#include "rnn.h"
#include "row_ranges.h"
#include "rnn_step_napi.h"

namespace rk {
namespace {

// Bumped with EXPECTED_ADDON_VERSION in src/native/load.ts whenever the JS-facing API changes.
const int kAddonVersion = 12;

// Runs fn, turning C++ failures into JS exceptions (a stray C++ exception would abort the process).
template <class Fn>
Napi::Value guarded(const Napi::CallbackInfo& info, Fn fn) {
  Napi::Env env = info.Env();
  try {
    return fn(env);
  } catch (const Napi::Error&) {
    throw;
  } catch (const MemoryLimitError& e) {
    throw Napi::RangeError::New(env, std::string("recurrent kernels: ") + e.what() +
                                         " (the machine's memory, or RECURRENT_MEMORY_LIMIT / setMemoryLimit()); use "
                                         "smaller batches or shorter sequences");
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "recurrent kernels: out of memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("recurrent kernels: ") + e.what());
  }
}

// Checks the fields shared by forward and backward requests.
RnnProblem read_problem(Napi::Env env, const RequestFields& f) {
  RnnProblem p;
  p.cell = parse_cell(env, f[kCell]);
  p.B = dim_value(env, f[kBatch], "batch");
  p.T = dim_value(env, f[kTime], "time");
  p.F = dim_value(env, f[kFeatures], "features");
  p.U = dim_value(env, f[kUnits], "units");
  p.act = parse_activation(env, string_value(env, f[kActivation], "activation"), "activation");
  p.ract = parse_activation(env, string_value(env, f[kRecurrentActivation], "recurrentActivation"), "recurrentActivation");
  p.go_backwards = bool_value(env, f[kGoBackwards], "goBackwards", false);
  p.zero_output_for_mask = bool_value(env, f[kZeroOutputForMask], "zeroOutputForMask", false);
  p.reset_after = bool_value(env, f[kResetAfter], "resetAfter", true);
  p.return_sequences = bool_value(env, f[kReturnSequences], "returnSequences", true);
  const int64_t G = p.G();
  const int64_t GU = checked_product(env, "units", {G, p.U});
  p.x = float_array(env, f[kX], "x", {p.B, p.T, p.F}, false);
  p.kernel = float_array(env, f[kKernel], "kernel", {p.F, GU}, false);
  p.rec = float_array(env, f[kRecurrentKernel], "recurrentKernel", {p.U, GU}, false);
  p.bias = p.gru_reset_after() ? float_array(env, f[kBias], "bias", {2, GU}, true)
                               : float_array(env, f[kBias], "bias", {GU}, true);
  p.h0 = float_array(env, f[kInitialH], "initialH", {p.B, p.U}, true);
  p.c0 = p.cell == CELL_LSTM ? float_array(env, f[kInitialC], "initialC", {p.B, p.U}, true) : nullptr;
  p.mask = float_array(env, f[kMask], "mask", {p.B, p.T}, true);
  p.in_drop = float_array(env, f[kInputDropoutMask], "inputDropoutMask", {p.B, p.F}, true);
  p.rec_drop = float_array(env, f[kRecurrentDropoutMask], "recurrentDropoutMask", {p.B, p.U}, true);
  // Sizes of the scratch buffers the kernels derive from these (all must fit in int64).
  checked_product(env, "x", {p.B, p.T, GU, 2});
  return p;
}

WorkspaceLayout layout_or_throw(Napi::Env env, const RnnProblem& p) {
  WorkspaceLayout L;
  if (!workspace_layout(p.cell, p.B, p.T, p.U, p.reset_after, &L)) throw_error(env, "workspace: the sizes are too large");
  return L;
}

// The results of one call, declared in the order of the result object: their sizes are summed
// and checked against the memory limit before any is allocated.
class Results {
 public:
  static const int kMax = 8;
  explicit Results(Napi::Env env) : env_(env) {}
  // Declares a result of `count` floats (absent: null); returns its index.
  int declare(const char* name, int64_t count, bool present = true) {
    names_[n_] = name;
    counts_[n_] = present ? count : -1;
    if (present) bytes_ += static_cast<size_t>(count) * sizeof(float);
    return n_++;
  }
  // Allocates every present result; throws MemoryLimitError when they exceed the limit.
  void allocate() {
    check_result_bytes(bytes_);
    for (int i = 0; i < n_; ++i)
      if (counts_[i] >= 0) arrays_[i] = new_result_array(env_, static_cast<size_t>(counts_[i]));
  }
  float* data(int i) { return counts_[i] >= 0 ? arrays_[i].Data() : nullptr; }
  size_t bytes() const { return bytes_; }
  Napi::Object object() {
    Napi::Object result = Napi::Object::New(env_);
    for (int i = 0; i < n_; ++i) result.Set(names_[i], counts_[i] >= 0 ? Napi::Value(arrays_[i]) : env_.Null());
    return result;
  }

 private:
  Napi::Env env_;
  int n_ = 0;
  const char* names_[kMax] = {};
  int64_t counts_[kMax] = {};
  Napi::Float32Array arrays_[kMax];
  size_t bytes_ = 0;
};

Napi::Value Forward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    const RequestFields f(info, kForwardFieldCount);
    RnnProblem p = read_problem(env, f);
    // After the request's fields, optionally what packStepWeights made of its kernel and recurrentKernel.
    if (info.Length() > kForwardFieldCount) p.packed = packed_weights_argument(env, info[kForwardFieldCount], p.cell, p.F, p.U);
    const WorkspaceLayout L = layout_or_throw(env, p);
    const bool want_state = bool_value(env, f[kReturnState], "returnState", true);
    // Without a gradient to come, the per-step record lives in the compute context's reusable scratch: a
    // fresh result array of that size would be page-faulted in at every call.
    const bool save_workspace = bool_value(env, f[kSaveWorkspace], "saveWorkspace", true);
    Results results(env);
    const int outputs = results.declare("outputs", p.return_sequences ? p.B * p.T * p.U : p.B * p.U);
    const int h = results.declare("h", want_state ? p.B * p.U : 0);
    const int c = results.declare("c", want_state ? p.B * p.U : 0, p.cell == CELL_LSTM);
    const int ws = results.declare("workspace", save_workspace ? L.total : 0);
    results.allocate();
    {
      ContextLease lease(results.bytes());
      rnn_forward(lease.context(), p,
                  ForwardOutputs{results.data(outputs), want_state ? results.data(h) : nullptr,
                                 want_state ? results.data(c) : nullptr,
                                 save_workspace ? results.data(ws) : nullptr});
    }
    return results.object();
  });
}

Napi::Value Backward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    const RequestFields f(info, kFieldCount);
    const RnnProblem p = read_problem(env, f);
    const WorkspaceLayout L = layout_or_throw(env, p);
    BackwardInputs in;
    if (L.total > 0 && f[kWorkspace].IsTypedArray() && f[kWorkspace].As<Napi::TypedArray>().ElementLength() == 0)
      throw_error(env, "workspace: expected " + std::to_string(L.total) +
                           " floats, got none: the forward kept no workspace (saveWorkspace: false, as when no gradient "
                           "tape records); run it inside tf.grad, tf.variableGrads or optimizer.minimize");
    in.ws = float_array(env, f[kWorkspace], "workspace", {L.total}, false);
    in.d_outputs = p.return_sequences ? float_array(env, f[kDOutputs], "dOutputs", {p.B, p.T, p.U}, true)
                                      : float_array(env, f[kDOutputs], "dOutputs", {p.B, p.U}, true);
    in.d_h = float_array(env, f[kDH], "dH", {p.B, p.U}, true);
    in.d_c = p.cell == CELL_LSTM ? float_array(env, f[kDC], "dC", {p.B, p.U}, true) : nullptr;
    const bool want_dx = bool_value(env, f[kComputeInputGradient], "computeInputGradient", true);

    const int64_t GU = p.G() * p.U;
    Results results(env);
    const int dx = results.declare("dx", want_dx ? p.B * p.T * p.F : 0);
    const int dk = results.declare("dKernel", p.F * GU);
    const int dr = results.declare("dRecurrentKernel", p.U * GU);
    const int db = results.declare("dBias", GU * (p.gru_reset_after() ? 2 : 1), p.bias != nullptr);
    const int dh0 = results.declare("dInitialH", p.B * p.U);
    const int dc0 = results.declare("dInitialC", p.B * p.U, p.cell == CELL_LSTM);
    const int norms = results.declare("dhNorms", p.T);
    results.allocate();
    {
      ContextLease lease(results.bytes());
      rnn_backward(lease.context(), p, in,
                   BackwardOutputs{want_dx ? results.data(dx) : nullptr, results.data(dk), results.data(dr),
                                   results.data(db), results.data(dh0), results.data(dc0), results.data(norms)});
    }
    return results.object();
  });
}

Napi::Value WorkspaceSize(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 6) throw_type_error(env, "workspaceSize: expected (cell, batch, time, features, units, resetAfter)");
    const Cell cell = parse_cell(env, info[0]);
    const int64_t B = dim_value(env, info[1], "batch"), T = dim_value(env, info[2], "time");
    dim_value(env, info[3], "features");
    const int64_t U = dim_value(env, info[4], "units");
    if (!info[5].IsBoolean()) throw_type_error(env, "resetAfter: expected a boolean");
    WorkspaceLayout L;
    if (!workspace_layout(cell, B, T, U, info[5].As<Napi::Boolean>().Value(), &L) || L.total > (int64_t(1) << 53))
      throw_error(env, "workspace: the sizes are too large");
    return Napi::Number::New(env, static_cast<double>(L.total));
  });
}

// The arguments (m, n, k, a, b, transA, transB[, out]) of gemm and tfjsMatMul, checked; `product` computes
// C = op(A)·op(B) into the result with the shared compute context.
template <class Product>
Napi::Value matrix_product(const Napi::CallbackInfo& info, const char* name, Product product) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 7) throw_type_error(env, std::string(name) + ": expected (m, n, k, a, b, transA, transB[, out])");
    Napi::Value out_value = info.Length() > 7 ? info[7] : env.Undefined();
    refuse_unsafe_buffer(env, info[3], "a");
    refuse_unsafe_buffer(env, info[4], "b");
    refuse_unsafe_buffer(env, out_value, "out");
    const int64_t m = dim_value(env, info[0], "m"), n = dim_value(env, info[1], "n"), k = dim_value(env, info[2], "k");
    if (!info[5].IsBoolean() || !info[6].IsBoolean())
      throw_type_error(env, std::string(name) + ": transA and transB must be booleans");
    const bool ta = info[5].As<Napi::Boolean>().Value(), tb = info[6].As<Napi::Boolean>().Value();
    const float* a = ta ? float_array(env, info[3], "a", {k, m}, false) : float_array(env, info[3], "a", {m, k}, false);
    const float* b = tb ? float_array(env, info[4], "b", {n, k}, false) : float_array(env, info[4], "b", {k, n}, false);
    Napi::Value out;
    float* c = nullptr;
    const int64_t count = checked_product(env, "out", {m, n});
    if (out_value.IsUndefined() || out_value.IsNull()) {
      check_result_bytes(static_cast<size_t>(count) * sizeof(float));
      Napi::Float32Array result = new_result_array(env, static_cast<size_t>(count));
      c = result.Data();
      out = result;
    } else {
      c = float_array_mut(env, out_value, "out", {m, n});
      out = out_value;
    }
    {
      ContextLease lease(static_cast<size_t>(count) * sizeof(float));
      product(lease.context(), ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c);
    }
    return out;
  });
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  return matrix_product(info, "gemm",
                        [](const ComputeContext& e, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a,
                           int64_t lda, const float* b, int64_t ldb, float* c) {
                          sgemm(e, ta, tb, m, n, k, a, lda, b, ldb, c, n, false);
                        });
}

Napi::Value TfjsMatMul(const Napi::CallbackInfo& info) {
  return matrix_product(info, "tfjsMatMul",
                        [](const ComputeContext& e, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a,
                           int64_t lda, const float* b, int64_t ldb, float* c) {
                          tfjs_matmul(e, ta, tb, m, n, k, a, lda, b, ldb, c, n);
                        });
}

Napi::Value Conv1DForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return conv1d_forward_call(info); });
}

Napi::Value Conv1DBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return conv1d_backward_call(info); });
}

Napi::Value OptimizerUpdate(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return optimizer_update_call(info); });
}

Napi::Value Step(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return step_call(info); });
}

Napi::Value PackStepWeights(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return pack_step_weights_call(info); });
}

Napi::Value ReleaseStepWeights(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return release_step_weights_call(info); });
}

Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return gather_rows_call(info); });
}

Napi::Value ScatterAddRows(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return scatter_add_rows_call(info); });
}

Napi::Value MaxPool1DForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return max_pool1d_forward_call(info); });
}

Napi::Value MaxPool1DBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return max_pool1d_backward_call(info); });
}

Napi::Value SoftmaxRows(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env) { return softmax_rows_call(info); });
}

Napi::Value RecycleResult(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
      throw_type_error(env, "recycleResult: expected a Float32Array the addon returned");
    return Napi::Boolean::New(env, recycle_result_array(env, info[0].As<Napi::Float32Array>()));
  });
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("simd", current_isa()->name);
  Napi::Array supported = Napi::Array::New(env);
  uint32_t i = 0;
  for (const IsaTable* t : supported_isas()) supported.Set(i++, t->name);
  o.Set("supported", supported);
  o.Set("threads", current_threads());
  o.Set("minParallelMacsPerStep", min_parallel_macs_per_step());
  o.Set("maxSparseInputDensity", max_sparse_density());
  o.Set("ownedBlocksMaxBatch", static_cast<double>(kOwnedBlocksMaxBatch));
  o.Set("packedRowsMinSteps", static_cast<double>(kPackedRowsMinSteps));
  o.Set("rowBlocksMaxWeightBytes", kRowBlocksMaxWeightBytes);
  o.Set("rowRangeGroup", static_cast<double>(RowRanges::kRowGroup));
  o.Set("version", kAddonVersion);
  return o;
}

Napi::Value SetSimd(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsString()) throw_type_error(env, "setSimd: expected 'avx512', 'avx2', 'scalar' or 'auto'");
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    if (!select_isa(name)) {
      std::string list;
      for (const IsaTable* t : supported_isas()) list += (list.empty() ? "" : ", ") + std::string(t->name);
      throw_error(env, "setSimd: '" + name + "' is not available on this CPU/build (available: " + list + ", auto)");
    }
    return env.Undefined();
  });
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1) throw_type_error(env, "setThreads: expected an integer from 1 to 64");
    const int64_t n = dim_value(env, info[0], "threads");
    if (n < 1 || n > 64) throw_error(env, "threads: expected an integer from 1 to 64");
    set_threads(static_cast<int>(n));
    return env.Undefined();
  });
}

Napi::Value SetMemoryLimit(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw_type_error(env, "setMemoryLimit: expected a number of bytes");
    const double bytes = info[0].As<Napi::Number>().DoubleValue();
    if (!(bytes >= 0.0)) throw_error(env, "setMemoryLimit: expected a non-negative number of bytes (0: the machine's memory)");
    // Infinity, or anything beyond size_t, means no limit of our own.
    set_memory_limit_bytes(bytes >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(bytes));
    return env.Undefined();
  });
}

Napi::Value SetMinParallelWork(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw_type_error(env, "setMinParallelWork: expected a number of multiply-adds per step");
    const double macs = info[0].As<Napi::Number>().DoubleValue();
    if (!(macs >= 0.0)) throw_error(env, "setMinParallelWork: expected a non-negative number");
    set_min_parallel_macs_per_step(macs);
    return env.Undefined();
  });
}

Napi::Value RowRangeCountsValue(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RowRangeCounts counts = row_range_counts();
  Napi::Object o = Napi::Object::New(env);
  o.Set("takeovers", static_cast<double>(counts.takeovers));
  o.Set("splits", static_cast<double>(counts.splits));
  return o;
}

Napi::Value SetRowStepLag(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw_type_error(env, "setRowStepLag: expected microseconds from 0 to 10000");
    const double us = info[0].As<Napi::Number>().DoubleValue();
    if (!(us >= 0.0 && us <= 10000.0)) throw_error(env, "setRowStepLag: expected microseconds from 0 to 10000 (0: off)");
    set_row_step_lag(static_cast<int>(us));
    return env.Undefined();
  });
}

Napi::Value SetMaxSparseInputDensity(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw_type_error(env, "setMaxSparseInputDensity: expected a fraction from 0 to 1");
    const double density = info[0].As<Napi::Number>().DoubleValue();
    if (!(density >= 0.0 && density <= 1.0)) throw_error(env, "setMaxSparseInputDensity: expected a fraction from 0 to 1 (0: always dense)");
    set_max_sparse_density(density);
    return env.Undefined();
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  capture_engine_values(env);
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setSimd", Napi::Function::New(env, SetSimd));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("setMinParallelWork", Napi::Function::New(env, SetMinParallelWork));
  exports.Set("setMaxSparseInputDensity", Napi::Function::New(env, SetMaxSparseInputDensity));
  exports.Set("rowRangeCounts", Napi::Function::New(env, RowRangeCountsValue));
  exports.Set("setRowStepLag", Napi::Function::New(env, SetRowStepLag));
  exports.Set("setMemoryLimit", Napi::Function::New(env, SetMemoryLimit));
  exports.Set("workspaceSize", Napi::Function::New(env, WorkspaceSize));
  exports.Set("forward", Napi::Function::New(env, Forward));
  Napi::Object fields = Napi::Object::New(env);
  fields.Set("forward", field_names(env, kForwardFieldCount));
  fields.Set("backward", field_names(env, kFieldCount));
  fields.Set("step", step_field_names(env));
  exports.Set("requestFields", fields);
  exports.Set("backward", Napi::Function::New(env, Backward));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("tfjsMatMul", Napi::Function::New(env, TfjsMatMul));
  exports.Set("recycleResult", Napi::Function::New(env, RecycleResult));
  exports.Set("conv1dForward", Napi::Function::New(env, Conv1DForward));
  exports.Set("conv1dBackward", Napi::Function::New(env, Conv1DBackward));
  exports.Set("optimizerUpdate", Napi::Function::New(env, OptimizerUpdate));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("packStepWeights", Napi::Function::New(env, PackStepWeights));
  exports.Set("releaseStepWeights", Napi::Function::New(env, ReleaseStepWeights));
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows));
  exports.Set("softmaxRows", Napi::Function::New(env, SoftmaxRows));
  exports.Set("scatterAddRows", Napi::Function::New(env, ScatterAddRows));
  exports.Set("maxPool1dForward", Napi::Function::New(env, MaxPool1DForward));
  exports.Set("maxPool1dBackward", Napi::Function::New(env, MaxPool1DBackward));
  return exports;
}

}  // namespace
}  // namespace rk

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return rk::Init(env, exports); }

NODE_API_MODULE(recurrent_kernels, InitModule)
