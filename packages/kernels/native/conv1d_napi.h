// The addon's conv1dForward and conv1dBackward: arguments checked, results allocated within the memory
// limit, then the kernels of conv1d.h. They throw C++ exceptions; addon.cc turns them into JS errors.
#pragma once
#include <napi.h>

namespace rk {

// (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel) -> y [batch, steps, filters].
Napi::Value conv1d_forward_call(const Napi::CallbackInfo& info);
// (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, dy, computeInputGradient)
// -> { dx [batch, length, channels] (empty when computeInputGradient is false), dKernel [kernelSize, channels, filters] }.
Napi::Value conv1d_backward_call(const Napi::CallbackInfo& info);

}  // namespace rk
