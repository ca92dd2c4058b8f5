// The addon's `step`: one timestep of a recurrent layer in place (rnn_step.h), every argument checked
// before any memory is touched. Throws C++ exceptions; addon.cc turns them into JS errors.
#pragma once
#include <napi.h>

namespace rk {

// (cell, activation, recurrentActivation, resetAfter, batch, features, units, x, kernel, recurrentKernel,
// bias, h, c) -> undefined; h (and c for LSTM) now hold the new state.
Napi::Value step_call(const Napi::CallbackInfo& info);
// Its argument names in order, for JavaScript (the adapter checks them against STEP_REQUEST_FIELDS of spec.ts).
Napi::Array step_field_names(Napi::Env env);

}  // namespace rk
