// The addon's `step`: one timestep of a recurrent layer in place (rnn_step.h), every argument checked
// before any memory is touched. Throws C++ exceptions; addon.cc turns them into JS errors.
#pragma once
#include <napi.h>

#include "rnn.h"
#include "step_weights.h"

namespace rk {

// (cell, activation, recurrentActivation, resetAfter, batch, features, units, x, kernel, recurrentKernel,
// bias, h, c[, packedWeights]) -> undefined; h (and c for LSTM) now hold the new state. packedWeights,
// from packStepWeights for this layer's kernel and recurrentKernel, is read instead of them.
Napi::Value step_call(const Napi::CallbackInfo& info);
// (cell, features, units, kernel, recurrentKernel) -> an object holding their copy packed by block
// (step_weights.h), freed with it, or null when a step would not read them faster.
Napi::Value pack_step_weights_call(const Napi::CallbackInfo& info);
// The packed weights in an optional argument `v` (undefined or null: none), checked: what
// packStepWeights returned, not released, for this cell and these sizes.
const PackedStepWeights* packed_weights_argument(Napi::Env env, const Napi::Value& v, Cell cell, int64_t F, int64_t U);
// (packed) -> undefined: frees a packed copy now rather than when its object is collected.
Napi::Value release_step_weights_call(const Napi::CallbackInfo& info);
// Its argument names in order, for JavaScript (the adapter checks them against STEP_REQUEST_FIELDS of spec.ts).
Napi::Array step_field_names(Napi::Env env);

}  // namespace rk
