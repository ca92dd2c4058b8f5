// The addon's conv1dForward and conv1dBackward: arguments checked, results allocated within the memory
// limit, then the kernels of conv1d.h. They throw C++ exceptions; addon.cc turns them into JS errors.
#pragma once
#include <napi.h>

namespace rk {

// (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, bias or null, activation)
// -> y [batch, steps, filters], the bias added and the activation ('linear' or 'relu') applied.
Napi::Value conv1d_forward_call(const Napi::CallbackInfo& info);
// (batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, activation, dy, computeInputGradient,
// computeBiasGradient, y: the forward's output, needed for relu) -> { dx [batch, length, channels] (empty when
// computeInputGradient is false), dKernel [kernelSize, channels, filters], dBias [filters] (empty when
// computeBiasGradient is false) }.
Napi::Value conv1d_backward_call(const Napi::CallbackInfo& info);

}  // namespace rk
