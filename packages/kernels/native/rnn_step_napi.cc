#include "rnn_step_napi.h"

#include <string>

#include "napi_args.h"
#include "rnn_step.h"
#include "step_weights.h"

namespace rk {
namespace {

enum StepArg : int {
  kCellArg, kActivationArg, kRecurrentActivationArg, kResetAfterArg, kBatchArg, kFeaturesArg, kUnitsArg, kXArg,
  kKernelArg, kRecurrentKernelArg, kBiasArg, kHArg, kCArg, kStepArgCount
};
const char* const kStepArgNames[kStepArgCount] = {
    "cell",   "activation",      "recurrentActivation", "resetAfter", "batch", "features", "units",
    "x",      "kernel",          "recurrentKernel",     "bias",       "h",     "c"};

struct Span {
  const char* name;
  const char* begin;
  const char* end;
};

Span span_of(const char* name, const float* data, int64_t count) {
  const char* begin = reinterpret_cast<const char*>(data);
  return Span{name, begin, data ? begin + count * static_cast<int64_t>(sizeof(float)) : begin};
}

// Marks the objects packStepWeights returns: a step accepts no other object as its packed weights.
const napi_type_tag kPackedStepWeightsTag = {0x7265637572726e74ULL, 0x7374657077747321ULL};

void release_packed(napi_env env, void* data, void*) {
  auto* w = static_cast<PackedStepWeights*>(data);
  int64_t total = 0;
  napi_adjust_external_memory(env, -static_cast<int64_t>(w->bytes), &total);
  delete w;
}

// What packStepWeights returned, read from `v` (named `name` in errors).
PackedStepWeights* unwrap_packed(Napi::Env env, const Napi::Value& v, const char* name) {
  bool tagged = false;
  if (!v.IsObject() || napi_check_object_type_tag(env, v, &kPackedStepWeightsTag, &tagged) != napi_ok || !tagged)
    throw_type_error(env, std::string(name) + ": expected what packStepWeights returned");
  void* data = nullptr;
  if (napi_unwrap(env, v, &data) != napi_ok || !data) throw_type_error(env, std::string(name) + ": could not read the packed weights");
  return static_cast<PackedStepWeights*>(data);
}

bool overlap(const Span& a, const Span& b) { return a.begin && b.begin && a.begin < b.end && b.begin < a.end; }

// The state arrays are written while the others are read (by other threads, too): a state sharing
// memory with any other argument would change the inputs under the computation.
void refuse_overlaps(Napi::Env env, const Span* outputs, int n_outputs, const Span* all, int n_all) {
  for (int i = 0; i < n_outputs; ++i)
    for (int j = 0; j < n_all; ++j) {
      if (outputs[i].name == all[j].name) continue;  // itself
      if (overlap(outputs[i], all[j]))
        throw_error(env, std::string(outputs[i].name) + ": shares memory with " + all[j].name +
                             "; the step writes the new state over it, so it needs an array of its own");
    }
}

}  // namespace

const PackedStepWeights* packed_weights_argument(Napi::Env env, const Napi::Value& v, Cell cell, int64_t F, int64_t U) {
  if (v.IsUndefined() || v.IsNull()) return nullptr;
  const PackedStepWeights* w = unwrap_packed(env, v, "packedWeights");
  if (w->released()) throw_type_error(env, "packedWeights: released by releaseStepWeights; pack the weights again");
  if (w->cell != cell || w->F != F || w->U != U)
    throw_type_error(env, "packedWeights: packed for another layer (" + std::to_string(w->F) + " features, " +
                              std::to_string(w->U) + " units, cell " + std::to_string(static_cast<int>(w->cell)) +
                              "); pack this layer's kernel and recurrentKernel with packStepWeights");
  return w;
}

Napi::Array step_field_names(Napi::Env env) {
  Napi::Array names = Napi::Array::New(env, kStepArgCount);
  for (int i = 0; i < kStepArgCount; ++i) names.Set(static_cast<uint32_t>(i), Napi::String::New(env, kStepArgNames[i]));
  return names;
}

Napi::Value step_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < kStepArgCount)
    throw_type_error(env, "step: expected (cell, activation, recurrentActivation, resetAfter, batch, features, units, x, "
                          "kernel, recurrentKernel, bias, h, c)");
  for (int i = 0; i < kStepArgCount; ++i) refuse_unsafe_buffer(env, info[static_cast<size_t>(i)], kStepArgNames[i]);
  StepProblem p;
  p.cell = parse_cell(env, info[kCellArg]);
  p.act = parse_activation(env, string_value(env, info[kActivationArg], "activation"), "activation");
  p.ract = parse_activation(env, string_value(env, info[kRecurrentActivationArg], "recurrentActivation"),
                            "recurrentActivation");
  p.reset_after = bool_value(env, info[kResetAfterArg], "resetAfter", true);
  p.B = dim_value(env, info[kBatchArg], "batch");
  p.F = dim_value(env, info[kFeaturesArg], "features");
  p.U = dim_value(env, info[kUnitsArg], "units");
  const int64_t GU = checked_product(env, "units", {p.G(), p.U});
  // Scratch of a few rows of gates: every product of two dims fits in int64 (dim_value caps them at 2^31).
  checked_product(env, "batch", {p.B, GU, 4});
  p.x = float_array(env, info[kXArg], "x", {p.B, p.F}, false);
  p.kernel = float_array(env, info[kKernelArg], "kernel", {p.F, GU}, false);
  p.rec = float_array(env, info[kRecurrentKernelArg], "recurrentKernel", {p.U, GU}, false);
  const int64_t bias_count = p.gru_reset_after() ? 2 * GU : GU;
  p.bias = p.gru_reset_after() ? float_array(env, info[kBiasArg], "bias", {2, GU}, true)
                               : float_array(env, info[kBiasArg], "bias", {GU}, true);
  p.h = float_array_mut(env, info[kHArg], "h", {p.B, p.U});
  if (p.cell == CELL_LSTM) {
    p.c = float_array_mut(env, info[kCArg], "c", {p.B, p.U});
  } else {
    if (!info[kCArg].IsUndefined() && !info[kCArg].IsNull())
      throw_type_error(env, "c: only an LSTM carries a cell state; pass null for simple_rnn and gru");
    p.c = nullptr;
  }
  const Span h = span_of("h", p.h, p.B * p.U), c = span_of("c", p.c, p.c ? p.B * p.U : 0);
  const Span all[] = {span_of("x", p.x, p.B * p.F), span_of("kernel", p.kernel, p.F * GU),
                      span_of("recurrentKernel", p.rec, p.U * GU), span_of("bias", p.bias, p.bias ? bias_count : 0), h, c};
  const Span outputs[] = {h, c};
  refuse_overlaps(env, outputs, 2, all, 6);
  if (info.Length() > kStepArgCount) p.packed = packed_weights_argument(env, info[kStepArgCount], p.cell, p.F, p.U);
  {
    ContextLease lease(0);
    rnn_step(lease.context(), p);
  }
  return env.Undefined();
}

Napi::Value pack_step_weights_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5) throw_type_error(env, "packStepWeights: expected (cell, features, units, kernel, recurrentKernel)");
  refuse_unsafe_buffer(env, info[3], "kernel");
  refuse_unsafe_buffer(env, info[4], "recurrentKernel");
  const Cell cell = parse_cell(env, info[0]);
  const int64_t F = dim_value(env, info[1], "features"), U = dim_value(env, info[2], "units");
  const int64_t GU = checked_product(env, "units", {gate_count(cell), U});
  const float* kernel = float_array(env, info[3], "kernel", {F, GU}, false);
  const float* rec = float_array(env, info[4], "recurrentKernel", {U, GU}, false);
  std::unique_ptr<PackedStepWeights> w;
  {
    ContextLease lease(0);
    w = pack_step_weights(lease.context(), cell, F, U, kernel, rec);
  }
  if (!w) return env.Null();
  Napi::Object handle = Napi::Object::New(env);
  if (napi_wrap(env, handle, w.get(), release_packed, nullptr, nullptr) != napi_ok)
    throw_error(env, "packStepWeights: could not attach the packed weights to their object");
  PackedStepWeights* owned = w.release();  // the object's finalizer frees it now
  int64_t total = 0;
  napi_adjust_external_memory(env, static_cast<int64_t>(owned->bytes), &total);
  napi_type_tag_object(env, handle, &kPackedStepWeightsTag);
  return handle;
}

Napi::Value release_step_weights_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PackedStepWeights* w = unwrap_packed(env, info.Length() > 0 ? info[0] : env.Undefined(), "releaseStepWeights");
  int64_t total = 0;
  napi_adjust_external_memory(env, -static_cast<int64_t>(w->bytes), &total);
  w->release();
  return env.Undefined();
}

}  // namespace rk
