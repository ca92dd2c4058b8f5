#include "napi_args.h"

#include <sstream>

#include "isa.h"

namespace rk {

void throw_error(Napi::Env env, const std::string& message) { throw Napi::Error::New(env, message); }
void throw_type_error(Napi::Env env, const std::string& message) { throw Napi::TypeError::New(env, message); }

static std::string shape_text(std::initializer_list<int64_t> dims) {
  std::ostringstream s;
  bool first = true;
  for (int64_t d : dims) {
    if (!first) s << 'x';
    s << d;
    first = false;
  }
  return s.str();
}

int64_t checked_product(Napi::Env env, const std::string& what, std::initializer_list<int64_t> dims) {
  int64_t total = 1;
  for (int64_t d : dims) {
    if (__builtin_mul_overflow(total, d, &total))
      throw_error(env, what + ": shape " + shape_text(dims) + " is too large");
  }
  return total;
}

static const double kMaxDim = 2147483647.0;

int64_t dim_value(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw_type_error(env, std::string(name) + ": expected a non-negative integer, got " + (v.IsUndefined() ? "undefined" : v.ToString().Utf8Value()));
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0.0) || d > kMaxDim || d != static_cast<double>(static_cast<int64_t>(d))) {
    std::ostringstream s;
    s << name << ": expected a non-negative integer up to 2147483647, got " << d;
    throw_error(env, s.str());
  }
  return static_cast<int64_t>(d);
}

int64_t read_dim(Napi::Env env, const Napi::Object& obj, const char* name) { return dim_value(env, obj.Get(name), name); }

bool read_bool(Napi::Env env, const Napi::Object& obj, const char* name, bool fallback) {
  Napi::Value v = obj.Get(name);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsBoolean()) throw_type_error(env, std::string(name) + ": expected a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string read_string(Napi::Env env, const Napi::Object& obj, const char* name) {
  Napi::Value v = obj.Get(name);
  if (!v.IsString()) throw_type_error(env, std::string(name) + ": expected a string");
  return v.As<Napi::String>().Utf8Value();
}

static std::string kind_of(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_int8_array: return "Int8Array";
      case napi_uint8_array: return "Uint8Array";
      case napi_uint8_clamped_array: return "Uint8ClampedArray";
      case napi_int16_array: return "Int16Array";
      case napi_uint16_array: return "Uint16Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint32_array: return "Uint32Array";
      case napi_float64_array: return "Float64Array";
      case napi_bigint64_array: return "BigInt64Array";
      case napi_biguint64_array: return "BigUint64Array";
      default: return "a typed array";
    }
  }
  if (v.IsArray()) return "Array";
  if (v.IsNumber()) return "number";
  if (v.IsString()) return "string";
  return "object";
}

static Napi::Float32Array as_float32(Napi::Env env, const Napi::Value& v, const char* name,
                                     std::initializer_list<int64_t> dims) {
  const int64_t expected = checked_product(env, name, dims);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    std::ostringstream s;
    s << name << ": expected a Float32Array of " << shape_text(dims) << " = " << expected << " floats, got "
      << kind_of(v);
    throw_type_error(env, s.str());
  }
  Napi::Float32Array arr = v.As<Napi::Float32Array>();
  const int64_t got = static_cast<int64_t>(arr.ElementLength());
  if (got != expected) {
    std::ostringstream s;
    s << name << ": expected " << shape_text(dims) << " = " << expected << " floats, got " << got;
    throw_error(env, s.str());
  }
  if (expected > 0 && arr.Data() == nullptr) throw_error(env, std::string(name) + ": the array's buffer is detached");
  return arr;
}

const float* float_array(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims,
                         bool nullable) {
  if (nullable && (v.IsUndefined() || v.IsNull())) return nullptr;
  return as_float32(env, v, name, dims).Data();
}

float* float_array_mut(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims) {
  return as_float32(env, v, name, dims).Data();
}

int parse_activation(Napi::Env env, const std::string& value, const char* name) {
  static const char* const names[] = {"tanh", "sigmoid", "hard_sigmoid", "hard_sigmoid_legacy", "relu", "linear"};
  static const int codes[] = {ACT_TANH, ACT_SIGMOID, ACT_HARD_SIGMOID, ACT_HARD_SIGMOID_LEGACY, ACT_RELU, ACT_LINEAR};
  for (int i = 0; i < 6; ++i)
    if (value == names[i]) return codes[i];
  throw_error(env, std::string(name) + ": unknown activation '" + value +
                       "'; expected one of tanh, sigmoid, hard_sigmoid, hard_sigmoid_legacy, relu, linear");
}

}  // namespace rk
