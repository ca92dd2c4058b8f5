// Float32Arrays for results. Large ones are backed by memory recycled from earlier results (an
// external ArrayBuffer whose finalizer returns the block to a pool when the GC collects it), so a
// training loop does not page-fault fresh tens of megabytes of workspace at every step. Recycled
// memory is not zeroed: the kernels write every element of their results.
#pragma once
#include <napi.h>

#include <cstddef>

namespace rk {

Napi::Float32Array new_result_array(Napi::Env env, size_t count);

}  // namespace rk
