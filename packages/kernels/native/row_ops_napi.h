// The addon's row gathers and window maxima (row_ops.h): arguments checked (every buffer first, every
// size against its array, every row index against the table) before any memory is touched, results
// allocated within the memory limit. They throw C++ exceptions; addon.cc turns them into JS errors.
#pragma once
#include <napi.h>

namespace rk {

// (table, tableRows, width, rows Int32Array) -> Float32Array [rows.length, width].
Napi::Value gather_rows_call(const Napi::CallbackInfo& info);
// (values, rows Int32Array, tableRows, width) -> Float32Array [tableRows, width], the rows of values
// added into zeros.
Napi::Value scatter_add_rows_call(const Napi::CallbackInfo& info);
// (batch, steps, channels, poolSize, strides, padBefore, outLength, x) -> [batch, outLength, channels].
Napi::Value max_pool1d_forward_call(const Napi::CallbackInfo& info);
// (batch, steps, channels, poolSize, strides, padBefore, outLength, x, dy) -> dx [batch, steps, channels].
Napi::Value max_pool1d_backward_call(const Napi::CallbackInfo& info);

// (values Float32Array, width, out Float32Array of the same length) -> undefined; out = the softmax of each
// row of `width` values (out may be values).
Napi::Value softmax_rows_call(const Napi::CallbackInfo& info);

}  // namespace rk
