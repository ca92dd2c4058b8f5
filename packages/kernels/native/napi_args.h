// Reading and checking JavaScript arguments. Every size is checked against the array it describes
// (with overflow-safe products) before any kernel touches memory; a mismatch throws a JS Error that
// names the argument and the expected shape, e.g.
//   "recurrentKernel: expected 256x1024 = 262144 floats, got 1000".
//
// The kernels take the fields of a request (spec.ts) as positional arguments, in the order of
// `Field`: plain values, read once by the caller (src/native/native_implementation.ts), so no
// property getter can run inside the addon. The only JavaScript the addon runs is the built-in
// ArrayBuffer getter `resizable` (captured at load), before any data pointer is taken; the checks
// that follow run none, so nothing can resize or detach a buffer between its check and the
// kernel's last read of it.
#pragma once
#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <string>

#include "rnn.h"

namespace rk {

[[noreturn]] void throw_error(Napi::Env env, const std::string& message);
[[noreturn]] void throw_type_error(Napi::Env env, const std::string& message);

// Product of dims, or throws naming `what` when it overflows int64.
int64_t checked_product(Napi::Env env, const std::string& what, std::initializer_list<int64_t> dims);

// The fields of the request objects of spec.ts: a ForwardRequest's, then a BackwardRequest's own.
enum Field : int {
  kCell, kBatch, kTime, kFeatures, kUnits, kActivation, kRecurrentActivation, kGoBackwards, kZeroOutputForMask,
  kResetAfter, kReturnSequences, kReturnState, kSaveWorkspace, kX, kKernel, kRecurrentKernel, kBias, kInitialH,
  kInitialC, kMask, kInputDropoutMask, kRecurrentDropoutMask,
  kForwardFieldCount,
  kWorkspace = kForwardFieldCount, kDOutputs, kDH, kDC, kComputeInputGradient,
  kFieldCount
};

// The field names in order, as an array for JavaScript (the adapter checks it matches spec.ts).
Napi::Array field_names(Napi::Env env, int count);

// Keeps the built-in `resizable` getter of ArrayBuffer.prototype; called once when the addon loads.
void capture_engine_values(Napi::Env env);

// The arguments [0, count) of a call (undefined where missing), every array's buffer checked with
// refuse_unsafe_buffer.
class RequestFields {
 public:
  RequestFields(const Napi::CallbackInfo& info, int count);
  Napi::Value operator[](Field field) const { return Napi::Value(env_, values_[field]); }

 private:
  Napi::Env env_;
  napi_value values_[kFieldCount] = {};
};

// Throws for a typed array whose memory could change while a kernel reads or writes it: one over a
// SharedArrayBuffer (other threads), a resizable ArrayBuffer, or a detached one. Other values pass
// (their type is checked later). Calls the built-in `resizable` getter, so it runs before any data
// pointer is taken (RequestFields checks every argument first).
void refuse_unsafe_buffer(Napi::Env env, const Napi::Value& v, const char* name);

// refuse_unsafe_buffer for each of the arguments [0, count) of a call, named by names[i].
void refuse_unsafe_buffers(const Napi::CallbackInfo& info, const char* const* names, int count);

// A non-negative integer (at most 2^31-1, which keeps every product of two in range).
int64_t dim_value(Napi::Env env, const Napi::Value& v, const char* name);
// The same, at least 1 (a window's size, stride or dilation).
int64_t positive_value(Napi::Env env, const Napi::Value& v, const char* name);
bool bool_value(Napi::Env env, const Napi::Value& v, const char* name, bool fallback);
std::string string_value(Napi::Env env, const Napi::Value& v, const char* name);

// A Float32Array with exactly the product of `dims` elements; nullptr when absent and nullable.
const float* float_array(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims,
                         bool nullable);
// An Int32Array of any length (its length into *count).
const int32_t* int32_array(Napi::Env env, const Napi::Value& v, const char* name, int64_t* count);
float* float_array_mut(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims);

// Activation and cell names as Keras spells them.
int parse_activation(Napi::Env env, const std::string& value, const char* name);
// The cell named by the string argument `v` ("cell" in errors, the name read as string_value reads it).
Cell parse_cell(Napi::Env env, const Napi::Value& v);

}  // namespace rk
