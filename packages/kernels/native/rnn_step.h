// One timestep of a recurrent layer for a few sequences (generation: batch 1), in place: the new state
// overwrites the state it was computed from, so a caller that steps a layer keeps two arrays (h, and c
// for LSTM) and allocates nothing per step. The results are the bits the whole-sequence forward
// (rnn_forward.cc) gives at T = 1 for the same inputs: the same matrix-vector kernel sums each product
// in row order from zero, and the same row functions of the instruction-set table finish the cell.
#pragma once
#include <cstdint>

#include "compute_context.h"
#include "rnn.h"
#include "step_weights.h"

namespace rk {

struct StepProblem {
  Cell cell;
  int64_t B, F, U;
  int act, ract;
  bool reset_after;
  const float* x;       // [B, F]
  const float* kernel;  // [F, G*U]
  const float* rec;     // [U, G*U]
  const float* bias;    // [G*U], [2, 3U] for GRU reset_after, or null
  float* h;             // [B, U]: the entering state, replaced by the new one (the step's output)
  float* c;             // [B, U]: LSTM's cell state, replaced likewise; null for the other cells
  // kernel and rec packed by block (step_weights.h), read instead of them; null: read them in place.
  // Its cell, F and U are the problem's (the N-API layer checks).
  const PackedStepWeights* packed = nullptr;

  int64_t G() const { return gate_count(cell); }
  bool gru_reset_after() const { return cell == CELL_GRU && reset_after; }
  bool gru_reset_before() const { return cell == CELL_GRU && !reset_after; }
};

// The arrays of `p` must not overlap one another (the N-API layer refuses such calls).
void rnn_step(const ComputeContext& e, const StepProblem& p);

}  // namespace rk
