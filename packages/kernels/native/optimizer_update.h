// The optimizers' update rules over arrays (the branch-free cases of the rules in
// packages/core/src/training/optimizers/): one pass reads the gradient, the weights and the slots
// and writes the new weights and slots. The arithmetic is the JavaScript rule's, operation for
// operation in double precision, each stored value rounded to float32 once, so both give the same
// bits (the addon is compiled without FMA contraction, -ffp-contract=off).
#pragma once
#include <cstdint>

#include "compute_context.h"

namespace rk {

enum OptimizerRule : int {
  RULE_ADAM,          // slots momentum, velocity
  RULE_RMSPROP,       // slot velocity (no momentum, not centered)
  RULE_ADAGRAD,       // slot accumulator
  RULE_SGD,           // no slot
  RULE_SGD_MOMENTUM,  // slot momentum
  RULE_SGD_NESTEROV,  // slot momentum
};

// Scalars of every rule (each uses some). The gradient is g = gradient * gradient_scale, without
// clamping (no clipvalue); decay is the decoupled weight decay factor (w - w * decay, skipped when 0).
struct OptimizerScalars {
  double gradient_scale = 1;
  double decay = 0;
  double learning_rate = 0;  // Adam: the bias-corrected step size of this step
  double beta1 = 0;          // Adam
  double beta2 = 0;          // Adam; RMSprop's rho
  double epsilon = 0;
  double momentum = 0;  // SGD with momentum
};

struct OptimizerArrays {
  int64_t n = 0;
  const float* gradient = nullptr;
  const float* weights = nullptr;
  const float* slot_in[2] = {nullptr, nullptr};
  float* weights_out = nullptr;
  float* slot_out[2] = {nullptr, nullptr};
};

// Runs the rule over all n elements, split over the pool's threads when the arrays are large.
void optimizer_update(const ComputeContext& e, OptimizerRule rule, const OptimizerScalars& s, const OptimizerArrays& a);

}  // namespace rk
