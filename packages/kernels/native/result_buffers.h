// Float32Arrays for results. Large ones are backed by memory recycled from earlier results (an
// external ArrayBuffer whose finalizer returns the block to a pool when the GC collects it), so a
// training loop does not page-fault fresh tens of megabytes of workspace at every step. Recycled
// memory is not zeroed: the kernels write every element of their results.
#pragma once
#include <napi.h>

#include <cstddef>

namespace rk {

Napi::Float32Array new_result_array(Napi::Env env, size_t count);

// Returns a result's pooled block for reuse now, rather than when the GC has collected the array and
// Node has run its finalizer (which waits for the event loop: a synchronous training loop would hold
// every step's workspace until then). The array's ArrayBuffer is detached first, so no JS reference
// can reach the reused memory: reading it afterwards sees an empty array. Returns false (and changes
// nothing) for an array that is not a whole pooled result.
bool recycle_result_array(Napi::Env env, Napi::Float32Array array);

}  // namespace rk
