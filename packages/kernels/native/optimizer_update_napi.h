// The addon's optimizerUpdate: arguments checked, results allocated within the memory limit, then the
// loops of optimizer_update.h. It throws C++ exceptions; addon.cc turns them into JS errors.
#pragma once
#include <napi.h>

namespace rk {

// (rule, gradient, weights, slot0, slot1, scalars: Float64Array) -> { weights, <slot names>... }: fresh
// arrays. The slots and scalars each rule takes are listed in optimizer_update_napi.cc.
Napi::Value optimizer_update_call(const Napi::CallbackInfo& info);

}  // namespace rk
