#include "napi_args.h"

#include <cstring>
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

int64_t dim_value(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw_type_error(env, std::string(name) + ": expected a non-negative integer, got " + kind_of(v));
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0.0) || d > kMaxDim || d != static_cast<double>(static_cast<int64_t>(d))) {
    std::ostringstream s;
    s << name << ": expected a non-negative integer up to 2147483647, got " << d;
    throw_error(env, s.str());
  }
  return static_cast<int64_t>(d);
}

int64_t positive_value(Napi::Env env, const Napi::Value& v, const char* name) {
  const int64_t n = dim_value(env, v, name);
  if (n < 1) throw_error(env, std::string(name) + ": expected a positive integer, got 0");
  return n;
}

bool bool_value(Napi::Env env, const Napi::Value& v, const char* name, bool fallback) {
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsBoolean()) throw_type_error(env, std::string(name) + ": expected a boolean");
  return v.As<Napi::Boolean>().Value();
}

// At most this many bytes of a string argument's UTF-8 text are kept: every name the addon accepts is
// shorter, and a longer value only appears in an error message, which it must not flood. It is cut at
// a whole character, with '...' after it (src/typescript/request_checks.ts, shownName, does the same).
// A short string is read in one call, without a length query first: a one-timestep call reads three.
static const size_t kStringValueBytes = 63;

std::string string_value(Napi::Env env, const Napi::Value& v, const char* name) {
  napi_valuetype type = napi_undefined;
  if (napi_typeof(env, v, &type) != napi_ok || type != napi_string) throw_type_error(env, std::string(name) + ": expected a string");
  char text[kStringValueBytes + 1];  // V8 writes whole characters only, then the terminating NUL
  size_t length = 0;
  if (napi_get_value_string_utf8(env, v, text, sizeof text, &length) != napi_ok)
    throw_error(env, std::string(name) + ": could not read the string");
  std::string value(text, length);
  // Fewer than 60 bytes written: nothing was left out (a character takes at most 4). Else the whole length decides.
  size_t whole = length;
  if (length + 4 > kStringValueBytes && napi_get_value_string_utf8(env, v, nullptr, 0, &whole) != napi_ok)
    throw_error(env, std::string(name) + ": could not read the string");
  if (whole > length) value += "...";
  return value;
}

namespace {

const char* const kFieldNames[kFieldCount] = {
    "cell", "batch", "time", "features", "units", "activation", "recurrentActivation", "goBackwards",
    "zeroOutputForMask", "resetAfter", "returnSequences", "returnState", "saveWorkspace", "x", "kernel",
    "recurrentKernel", "bias", "initialH", "initialC", "mask", "inputDropoutMask", "recurrentDropoutMask",
    "workspace", "dOutputs", "dH", "dC", "computeInputGradient"};

// Taken when the addon loads: the getter of ArrayBuffer.prototype.resizable is the built-in one,
// whatever is defined later.
struct EngineValues {
  Napi::FunctionReference resizable;
};

}  // namespace

Napi::Array field_names(Napi::Env env, int count) {
  Napi::Array names = Napi::Array::New(env, static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) names.Set(static_cast<uint32_t>(i), Napi::String::New(env, kFieldNames[i]));
  return names;
}

void capture_engine_values(Napi::Env env) {
  auto* values = new EngineValues();
  Napi::Object prototype = env.Global().Get("ArrayBuffer").As<Napi::Object>().Get("prototype").As<Napi::Object>();
  Napi::Object object_ctor = env.Global().Get("Object").As<Napi::Object>();
  Napi::Value descriptor = object_ctor.Get("getOwnPropertyDescriptor")
                               .As<Napi::Function>()
                               .Call(object_ctor, {prototype, Napi::String::New(env, "resizable")});
  if (descriptor.IsObject()) {
    Napi::Value getter = descriptor.As<Napi::Object>().Get("get");
    if (getter.IsFunction()) values->resizable = Napi::Persistent(getter.As<Napi::Function>());
  }
  env.SetInstanceData(values);
}

RequestFields::RequestFields(const Napi::CallbackInfo& info, int count) : env_(info.Env()) {
  for (int i = 0; i < count; ++i) {
    const Napi::Value v = info[static_cast<size_t>(i)];
    refuse_unsafe_buffer(env_, v, kFieldNames[i]);
    values_[i] = v;
  }
}

void refuse_unsafe_buffers(const Napi::CallbackInfo& info, const char* const* names, int count) {
  for (int i = 0; i < count; ++i) refuse_unsafe_buffer(info.Env(), info[static_cast<size_t>(i)], names[i]);
}

// Marks an ArrayBuffer found to be plain (neither shared nor resizable). Neither property can change
// during a buffer's life, so a marked buffer needs only the detached check: the call to the `resizable`
// getter (about 0.4 us, most of a one-timestep call's argument checks) is made once per buffer.
static const napi_type_tag kPlainBufferTag = {0x7265637572726e74ULL, 0x706c61696e627566ULL};

void refuse_unsafe_buffer(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray()) return;
  napi_value buffer = nullptr;
  if (napi_get_typedarray_info(env, v, nullptr, nullptr, nullptr, &buffer, nullptr) != napi_ok)
    throw_error(env, std::string(name) + ": could not read the typed array");
  bool marked = false;
  if (napi_check_object_type_tag(env, buffer, &kPlainBufferTag, &marked) == napi_ok && marked) {
    if (Napi::ArrayBuffer(env, buffer).IsDetached()) throw_type_error(env, std::string(name) + ": the array's buffer is detached");
    return;
  }
  bool plain = false;  // false for a SharedArrayBuffer
  if (napi_is_arraybuffer(env, buffer, &plain) != napi_ok || !plain)
    throw_type_error(env, std::string(name) + ": arrays over a SharedArrayBuffer are not accepted (another thread could " +
                              "change them during the call); copy the data into a new Float32Array");
  Napi::ArrayBuffer ab(env, buffer);
  if (ab.IsDetached()) throw_type_error(env, std::string(name) + ": the array's buffer is detached");
  const EngineValues* engine = env.GetInstanceData<EngineValues>();
  if (!engine->resizable.IsEmpty()) {  // else an engine without resizable buffers
    const Napi::Value resizable = engine->resizable.Call(ab, {});
    if (resizable.IsBoolean() && resizable.As<Napi::Boolean>().Value())
      throw_type_error(env, std::string(name) + ": arrays over a resizable ArrayBuffer are not accepted (it could shrink " +
                                "during the call); copy the data into a new Float32Array");
  }
  // A buffer another addon has tagged stays unmarked (the tag cannot be set twice): checked every time.
  napi_type_tag_object(env, buffer, &kPlainBufferTag);
}

// The data of a Float32Array of exactly prod(dims) floats. One napi_get_typedarray_info call reads its
// kind, length and data: Napi::TypedArray's accessors query them again each (its kind by testing every
// kind in turn), which was most of a one-timestep call's argument checks.
static float* as_float32(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims) {
  const int64_t expected = checked_product(env, name, dims);
  bool typed = false;
  napi_typedarray_type type = napi_int8_array;
  size_t length = 0;
  void* data = nullptr;
  if (napi_is_typedarray(env, v, &typed) != napi_ok || !typed ||
      napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_float32_array) {
    std::ostringstream s;
    s << name << ": expected a Float32Array of " << shape_text(dims) << " = " << expected << " floats, got "
      << kind_of(v);
    throw_type_error(env, s.str());
  }
  const int64_t got = static_cast<int64_t>(length);
  if (got != expected) {
    std::ostringstream s;
    s << name << ": expected " << shape_text(dims) << " = " << expected << " floats, got " << got;
    throw_error(env, s.str());
  }
  if (expected > 0 && data == nullptr) throw_error(env, std::string(name) + ": the array's buffer is detached");
  return static_cast<float*>(data);
}

const float* float_array(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims,
                         bool nullable) {
  if (nullable && (v.IsUndefined() || v.IsNull())) return nullptr;
  return as_float32(env, v, name, dims);
}

float* float_array_mut(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims) {
  return as_float32(env, v, name, dims);
}

const int32_t* int32_array(Napi::Env env, const Napi::Value& v, const char* name, int64_t* count) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type_error(env, std::string(name) + ": expected an Int32Array, got " + kind_of(v));
  Napi::Int32Array arr = v.As<Napi::Int32Array>();
  *count = static_cast<int64_t>(arr.ElementLength());
  if (*count > 0 && arr.Data() == nullptr) throw_error(env, std::string(name) + ": the array's buffer is detached");
  return arr.Data();
}

Cell parse_cell(Napi::Env env, const Napi::Value& v) {
  const std::string s = string_value(env, v, "cell");
  if (s == "simple_rnn") return CELL_SIMPLE_RNN;
  if (s == "lstm") return CELL_LSTM;
  if (s == "gru") return CELL_GRU;
  throw_error(env, "cell: unknown cell '" + s + "'; expected one of simple_rnn, lstm, gru");
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
