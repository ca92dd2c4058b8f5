// N-API entry points of the fused recurrent kernels. The request objects are the ForwardRequest and
// BackwardRequest of packages/kernels/src/spec.ts, read by property name; every array is checked
// (napi_args.cc) before the kernels run, and every failure becomes a JS exception.
#include <napi.h>

#include <cstring>
#include <new>
#include <string>

#include "compute_context.h"
#include "gemm.h"
#include "napi_args.h"
#include "result_buffers.h"
#include "rnn.h"

namespace rk {
namespace {

// Bumped with EXPECTED_ADDON_VERSION in src/native/load.ts whenever the JS-facing API changes.
const int kAddonVersion = 2;

// Runs fn, turning C++ failures into JS exceptions (a stray C++ exception would abort the process).
template <class Fn>
Napi::Value guarded(const Napi::CallbackInfo& info, Fn fn) {
  Napi::Env env = info.Env();
  try {
    return fn(env);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "recurrent kernels: out of memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("recurrent kernels: ") + e.what());
  }
}

Cell parse_cell(Napi::Env env, const std::string& s) {
  if (s == "simple_rnn") return CELL_SIMPLE_RNN;
  if (s == "lstm") return CELL_LSTM;
  if (s == "gru") return CELL_GRU;
  throw_error(env, "cell: unknown cell '" + s + "'; expected one of simple_rnn, lstm, gru");
}

Napi::Object request_object(const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() < 1 || !info[0].IsObject())
    throw_type_error(info.Env(), std::string(fn) + ": expected a request object");
  return info[0].As<Napi::Object>();
}

// Reads and checks the fields shared by forward and backward requests.
RnnProblem read_problem(Napi::Env env, const Napi::Object& req) {
  RnnProblem p;
  p.cell = parse_cell(env, read_string(env, req, "cell"));
  p.B = read_dim(env, req, "batch");
  p.T = read_dim(env, req, "time");
  p.F = read_dim(env, req, "features");
  p.U = read_dim(env, req, "units");
  p.act = parse_activation(env, read_string(env, req, "activation"), "activation");
  p.ract = parse_activation(env, read_string(env, req, "recurrentActivation"), "recurrentActivation");
  p.go_backwards = read_bool(env, req, "goBackwards", false);
  p.zero_output_for_mask = read_bool(env, req, "zeroOutputForMask", false);
  p.reset_after = read_bool(env, req, "resetAfter", true);
  const int64_t G = p.G();
  const int64_t GU = checked_product(env, "units", {G, p.U});
  p.x = float_array(env, req.Get("x"), "x", {p.B, p.T, p.F}, false);
  p.kernel = float_array(env, req.Get("kernel"), "kernel", {p.F, GU}, false);
  p.rec = float_array(env, req.Get("recurrentKernel"), "recurrentKernel", {p.U, GU}, false);
  p.bias = p.gru_reset_after() ? float_array(env, req.Get("bias"), "bias", {2, GU}, true)
                               : float_array(env, req.Get("bias"), "bias", {GU}, true);
  p.h0 = float_array(env, req.Get("initialH"), "initialH", {p.B, p.U}, true);
  p.c0 = p.cell == CELL_LSTM ? float_array(env, req.Get("initialC"), "initialC", {p.B, p.U}, true) : nullptr;
  p.mask = float_array(env, req.Get("mask"), "mask", {p.B, p.T}, true);
  p.in_drop = float_array(env, req.Get("inputDropoutMask"), "inputDropoutMask", {p.B, p.F}, true);
  p.rec_drop = float_array(env, req.Get("recurrentDropoutMask"), "recurrentDropoutMask", {p.B, p.U}, true);
  // Sizes of the scratch buffers the kernels derive from these (all must fit in int64).
  checked_product(env, "x", {p.B, p.T, GU, 2});
  return p;
}

WorkspaceLayout layout_or_throw(Napi::Env env, const RnnProblem& p) {
  WorkspaceLayout L;
  if (!workspace_layout(p.cell, p.B, p.T, p.U, p.reset_after, &L)) throw_error(env, "workspace: the sizes are too large");
  return L;
}

Napi::Float32Array new_floats(Napi::Env env, int64_t n) { return new_result_array(env, static_cast<size_t>(n)); }

Napi::Value Forward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    Napi::Object req = request_object(info, "forward");
    const RnnProblem p = read_problem(env, req);
    const WorkspaceLayout L = layout_or_throw(env, p);
    Napi::Float32Array outputs = new_floats(env, p.B * p.T * p.U);
    Napi::Float32Array h = new_floats(env, p.B * p.U);
    Napi::Value c = env.Null();
    float* c_data = nullptr;
    if (p.cell == CELL_LSTM) {
      Napi::Float32Array ca = new_floats(env, p.B * p.U);
      c_data = ca.Data();
      c = ca;
    }
    // Without a gradient to come, the per-step record lives in the compute context's reusable scratch: a
    // fresh result array of that size would be page-faulted in at every call.
    const bool save_workspace = read_bool(env, req, "saveWorkspace", true);
    Napi::Float32Array ws = new_floats(env, save_workspace ? L.total : 0);
    {
      ContextLease lease;
      float* ws_data = save_workspace ? ws.Data() : lease.context().scratch->floats(static_cast<size_t>(L.total));
      rnn_forward(lease.context(), p, ForwardOutputs{outputs.Data(), h.Data(), c_data, ws_data});
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("outputs", outputs);
    result.Set("h", h);
    result.Set("c", c);
    result.Set("workspace", ws);
    return result;
  });
}

Napi::Value Backward(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    Napi::Object req = request_object(info, "backward");
    const RnnProblem p = read_problem(env, req);
    const WorkspaceLayout L = layout_or_throw(env, p);
    BackwardInputs in;
    in.ws = float_array(env, req.Get("workspace"), "workspace", {L.total}, false);
    in.d_outputs = float_array(env, req.Get("dOutputs"), "dOutputs", {p.B, p.T, p.U}, true);
    in.d_h = float_array(env, req.Get("dH"), "dH", {p.B, p.U}, true);
    in.d_c = p.cell == CELL_LSTM ? float_array(env, req.Get("dC"), "dC", {p.B, p.U}, true) : nullptr;

    const int64_t GU = p.G() * p.U;
    const bool want_dx = read_bool(env, req, "computeInputGradient", true);
    Napi::Float32Array dx = new_floats(env, want_dx ? p.B * p.T * p.F : 0);
    Napi::Float32Array dk = new_floats(env, p.F * GU);
    Napi::Float32Array dr = new_floats(env, p.U * GU);
    Napi::Value db = env.Null();
    float* db_data = nullptr;
    if (p.bias) {
      Napi::Float32Array a = new_floats(env, GU * (p.gru_reset_after() ? 2 : 1));
      db_data = a.Data();
      db = a;
    }
    Napi::Float32Array dh0 = new_floats(env, p.B * p.U);
    Napi::Value dc0 = env.Null();
    float* dc0_data = nullptr;
    if (p.cell == CELL_LSTM) {
      Napi::Float32Array a = new_floats(env, p.B * p.U);
      dc0_data = a.Data();
      dc0 = a;
    }
    Napi::Float32Array norms = new_floats(env, p.T);
    {
      ContextLease lease;
      rnn_backward(lease.context(), p, in,
                   BackwardOutputs{want_dx ? dx.Data() : nullptr, dk.Data(), dr.Data(), db_data, dh0.Data(), dc0_data,
                                   norms.Data()});
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("dx", dx);
    result.Set("dKernel", dk);
    result.Set("dRecurrentKernel", dr);
    result.Set("dBias", db);
    result.Set("dInitialH", dh0);
    result.Set("dInitialC", dc0);
    result.Set("dhNorms", norms);
    return result;
  });
}

Napi::Value WorkspaceSize(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 6) throw_type_error(env, "workspaceSize: expected (cell, batch, time, features, units, resetAfter)");
    if (!info[0].IsString()) throw_type_error(env, "cell: expected a string");
    const Cell cell = parse_cell(env, info[0].As<Napi::String>().Utf8Value());
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

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 7) throw_type_error(env, "gemm: expected (m, n, k, a, b, transA, transB[, out])");
    const int64_t m = dim_value(env, info[0], "m"), n = dim_value(env, info[1], "n"), k = dim_value(env, info[2], "k");
    if (!info[5].IsBoolean() || !info[6].IsBoolean()) throw_type_error(env, "gemm: transA and transB must be booleans");
    const bool ta = info[5].As<Napi::Boolean>().Value(), tb = info[6].As<Napi::Boolean>().Value();
    const float* a = ta ? float_array(env, info[3], "a", {k, m}, false) : float_array(env, info[3], "a", {m, k}, false);
    const float* b = tb ? float_array(env, info[4], "b", {n, k}, false) : float_array(env, info[4], "b", {k, n}, false);
    Napi::Value out_value = info.Length() > 7 ? info[7] : env.Undefined();
    Napi::Float32Array out;
    if (out_value.IsUndefined() || out_value.IsNull()) {
      out = new_floats(env, checked_product(env, "out", {m, n}));
    } else {
      float_array_mut(env, out_value, "out", {m, n});
      out = out_value.As<Napi::Float32Array>();
    }
    {
      ContextLease lease;
      sgemm(lease.context(), ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, out.Data(), n, false);
    }
    return out;
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

Napi::Value SetMinParallelWork(const Napi::CallbackInfo& info) {
  return guarded(info, [&](Napi::Env env) -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw_type_error(env, "setMinParallelWork: expected a number of multiply-adds per step");
    const double macs = info[0].As<Napi::Number>().DoubleValue();
    if (!(macs >= 0.0)) throw_error(env, "setMinParallelWork: expected a non-negative number");
    set_min_parallel_macs_per_step(macs);
    return env.Undefined();
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setSimd", Napi::Function::New(env, SetSimd));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("setMinParallelWork", Napi::Function::New(env, SetMinParallelWork));
  exports.Set("workspaceSize", Napi::Function::New(env, WorkspaceSize));
  exports.Set("forward", Napi::Function::New(env, Forward));
  exports.Set("backward", Napi::Function::New(env, Backward));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  return exports;
}

}  // namespace
}  // namespace rk

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return rk::Init(env, exports); }

NODE_API_MODULE(recurrent_kernels, InitModule)
