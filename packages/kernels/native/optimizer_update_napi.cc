#include "optimizer_update_napi.h"

#include <cmath>
#include <sstream>
#include <string>

#include "napi_args.h"
#include "optimizer_update.h"
#include "result_buffers.h"

namespace rk {
namespace {

enum Arg : int { kRule, kGradient, kWeights, kSlot0, kSlot1, kScalars, kArgCount };

// How a scalar is checked: any number (the gradient scale: NaN or infinite when the global norm
// is, and the rule then carries that into every result, as the JavaScript loop does), finite, a
// fraction in [0, 1), or a momentum in (0, 1].
enum ScalarCheck : int { kAnyNumber, kFinite, kFraction, kMomentum };

struct ScalarSpec {
  const char* name;
  ScalarCheck check;
  double OptimizerScalars::*field;
};

struct RuleSpec {
  const char* name;
  OptimizerRule rule;
  int slot_count;
  const char* slots[2];
  int scalar_count;
  ScalarSpec scalars[6];
};

const ScalarSpec kScale{"gradientScale", kAnyNumber, &OptimizerScalars::gradient_scale};
const ScalarSpec kDecay{"decay", kFinite, &OptimizerScalars::decay};
const ScalarSpec kLearningRate{"learningRate", kFinite, &OptimizerScalars::learning_rate};
const ScalarSpec kEpsilon{"epsilon", kFinite, &OptimizerScalars::epsilon};

const RuleSpec kRules[] = {
    {"adam", RULE_ADAM, 2, {"momentum", "velocity"}, 6,
     {kScale, kDecay, {"stepSize", kFinite, &OptimizerScalars::learning_rate}, {"beta1", kFraction, &OptimizerScalars::beta1},
      {"beta2", kFraction, &OptimizerScalars::beta2}, kEpsilon}},
    {"rmsprop", RULE_RMSPROP, 1, {"velocity", nullptr}, 5,
     {kScale, kDecay, kLearningRate, {"rho", kFraction, &OptimizerScalars::beta2}, kEpsilon}},
    {"adagrad", RULE_ADAGRAD, 1, {"accumulator", nullptr}, 4, {kScale, kDecay, kLearningRate, kEpsilon}},
    {"sgd", RULE_SGD, 0, {nullptr, nullptr}, 3, {kScale, kDecay, kLearningRate}},
    {"sgd_momentum", RULE_SGD_MOMENTUM, 1, {"momentum", nullptr}, 4,
     {kScale, kDecay, kLearningRate, {"momentum", kMomentum, &OptimizerScalars::momentum}}},
    {"sgd_nesterov", RULE_SGD_NESTEROV, 1, {"momentum", nullptr}, 4,
     {kScale, kDecay, kLearningRate, {"momentum", kMomentum, &OptimizerScalars::momentum}}},
};

const RuleSpec& rule_spec(Napi::Env env, const std::string& name) {
  std::string list;
  for (const RuleSpec& spec : kRules) {
    if (name == spec.name) return spec;
    list += (list.empty() ? "" : ", ") + std::string(spec.name);
  }
  throw_error(env, "rule: unknown optimizer rule '" + name + "'; expected one of " + list);
}

void check_scalar(Napi::Env env, const ScalarSpec& spec, double x) {
  const bool ok = spec.check == kAnyNumber ? true
                  : spec.check == kFinite  ? std::isfinite(x)
                  : spec.check == kFraction ? (x >= 0 && x < 1)
                                            : (x > 0 && x <= 1);
  if (ok) return;
  static const char* const expected[] = {"a number", "a finite number", "a number in [0, 1)", "a number in (0, 1]"};
  std::ostringstream s;
  s << "scalars: " << spec.name << " must be " << expected[spec.check] << ", got " << x;
  throw_error(env, s.str());
}

OptimizerScalars read_scalars(Napi::Env env, const RuleSpec& spec, const Napi::Value& v) {
  std::string names;
  for (int k = 0; k < spec.scalar_count; ++k) names += (k ? ", " : "") + std::string(spec.scalars[k].name);
  const std::string wanted = "a Float64Array of " + std::to_string(spec.scalar_count) + " numbers (" + names + ")";
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_type_error(env, "scalars: expected " + wanted);
  Napi::Float64Array array = v.As<Napi::Float64Array>();
  if (array.ElementLength() != static_cast<size_t>(spec.scalar_count))
    throw_error(env, "scalars: expected " + wanted + ", got " + std::to_string(array.ElementLength()));
  OptimizerScalars s;
  for (int k = 0; k < spec.scalar_count; ++k) {
    const double x = array[static_cast<size_t>(k)];
    check_scalar(env, spec.scalars[k], x);
    s.*(spec.scalars[k].field) = x;
  }
  return s;
}

}  // namespace

Napi::Value optimizer_update_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static const char* const kArgNames[kArgCount] = {"rule", "gradient", "weights", "slot0", "slot1", "scalars"};
  if (info.Length() < kArgCount)
    throw_type_error(env, "optimizerUpdate: expected (rule, gradient, weights, slot0, slot1, scalars)");
  // Every buffer first, before any data pointer is taken.
  for (int i = 0; i < kArgCount; ++i) refuse_unsafe_buffer(env, info[static_cast<size_t>(i)], kArgNames[i]);
  const RuleSpec& spec = rule_spec(env, string_value(env, info[kRule], "rule"));
  if (!info[kWeights].IsTypedArray() || info[kWeights].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw_type_error(env, "weights: expected a Float32Array");
  const int64_t n = static_cast<int64_t>(info[kWeights].As<Napi::TypedArray>().ElementLength());
  OptimizerArrays a;
  a.n = n;
  a.weights = float_array(env, info[kWeights], "weights", {n}, false);
  a.gradient = float_array(env, info[kGradient], "gradient", {n}, false);
  for (int k = 0; k < 2; ++k) {
    const Napi::Value slot = info[static_cast<size_t>(kSlot0 + k)];
    if (k < spec.slot_count) {
      a.slot_in[k] = float_array(env, slot, spec.slots[k], {n}, false);
    } else if (!slot.IsNull() && !slot.IsUndefined()) {
      throw_type_error(env, std::string(kArgNames[kSlot0 + k]) + ": the rule '" + spec.name + "' keeps " +
                                std::to_string(spec.slot_count) + " slot(s); pass null");
    }
  }
  const OptimizerScalars scalars = read_scalars(env, spec, info[kScalars]);

  const size_t bytes = static_cast<size_t>(n) * sizeof(float) * static_cast<size_t>(1 + spec.slot_count);
  check_result_bytes(bytes);
  Napi::Float32Array weights_out = new_result_array(env, static_cast<size_t>(n));
  Napi::Float32Array slots_out[2];
  for (int k = 0; k < spec.slot_count; ++k) slots_out[k] = new_result_array(env, static_cast<size_t>(n));
  a.weights_out = weights_out.Data();
  for (int k = 0; k < spec.slot_count; ++k) a.slot_out[k] = slots_out[k].Data();
  {
    ContextLease lease(bytes);
    optimizer_update(lease.context(), spec.rule, scalars, a);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("weights", weights_out);
  for (int k = 0; k < spec.slot_count; ++k) result.Set(spec.slots[k], slots_out[k]);
  return result;
}

}  // namespace rk
