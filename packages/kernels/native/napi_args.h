// Reading and checking JavaScript arguments. Every size is checked against the array it describes
// (with overflow-safe products) before any kernel touches memory; a mismatch throws a JS Error that
// names the argument and the expected shape, e.g.
//   "recurrentKernel: expected 256x1024 = 262144 floats, got 1000".
#pragma once
#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace rk {

[[noreturn]] void throw_error(Napi::Env env, const std::string& message);
[[noreturn]] void throw_type_error(Napi::Env env, const std::string& message);

// Product of dims, or throws naming `what` when it overflows int64.
int64_t checked_product(Napi::Env env, const std::string& what, std::initializer_list<int64_t> dims);

// A non-negative integer property (at most 2^31-1, which keeps every product of two in range).
int64_t read_dim(Napi::Env env, const Napi::Object& obj, const char* name);
int64_t dim_value(Napi::Env env, const Napi::Value& v, const char* name);
bool read_bool(Napi::Env env, const Napi::Object& obj, const char* name, bool fallback);
std::string read_string(Napi::Env env, const Napi::Object& obj, const char* name);

// A Float32Array with exactly the product of `dims` elements; nullptr when absent and nullable.
const float* float_array(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims,
                         bool nullable);
float* float_array_mut(Napi::Env env, const Napi::Value& v, const char* name, std::initializer_list<int64_t> dims);

// Activation and cell names as Keras spells them.
int parse_activation(Napi::Env env, const std::string& value, const char* name);

}  // namespace rk
