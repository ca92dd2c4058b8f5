#include <algorithm>

#include "rnn.h"

namespace rk {

static bool mul_ok(int64_t a, int64_t b, int64_t* out) { return !__builtin_mul_overflow(a, b, out); }
static bool add_ok(int64_t a, int64_t b, int64_t* out) { return !__builtin_add_overflow(a, b, out); }

bool workspace_layout(Cell cell, int64_t B, int64_t T, int64_t U, bool reset_after, WorkspaceLayout* out) {
  int64_t rows, gu, gates_size, unit_size;
  if (!mul_ok(B, T, &rows) || !mul_ok(gate_count(cell), U, &gu) || !mul_ok(rows, gu, &gates_size) ||
      !mul_ok(rows, U, &unit_size))
    return false;
  WorkspaceLayout w;
  w.gates = 0;
  w.hprev = gates_size;
  int64_t end;
  if (!add_ok(w.hprev, unit_size, &end)) return false;
  if (cell == CELL_LSTM) {
    w.cprev = end;
    if (!add_ok(end, unit_size, &end)) return false;
  }
  if (cell == CELL_GRU && reset_after) {
    w.inner = end;
    if (!add_ok(end, unit_size, &end)) return false;
  }
  w.total = end;
  *out = w;
  return true;
}

// Steps' worth of the per-step threshold a whole call needs before the time loop is split (see plan_steps).
static const double kParallelCallSteps = 32.0;

StepPlan plan_steps(const ComputeContext& e, const RnnProblem& p, BAccess recurrent, bool owned_loop) {
  StepPlan s;
  s.nr = e.isa->nr;
  const int64_t panels = (p.U + s.nr - 1) / s.nr;
  const double macs = static_cast<double>(p.B) * p.U * p.G() * p.U;
  s.gemv = recurrent == BAccess::kGemv;
  // A loop on owned blocks meets at a rendezvous far cheaper than PhaseRunner's, and each core keeps its
  // block's weights in cache: its steps are worth splitting from the share of the matrix-vector steps,
  // whatever kernel makes the products (else a batch of a few rows ran on one thread while the
  // next larger batch ran on two and took less time: LSTM(256) at 3 rows against 4, GRU(256) at 5
  // against 6).
  const bool cheap_steps = s.gemv || owned_loop;
  const double parallel_macs = e.min_parallel_macs_per_step * (cheap_steps ? kGemvParallelShare : 1.0);
  // A short sequence of small steps does not repay the second thread: each step is a rendezvous of
  // the threads (two or three backward), and when the other core is busy (a loaded machine, another
  // process) each rendezvous waits for it to be scheduled. The chapter's model (batch 128, 10 steps,
  // SimpleRNN(128): 2.1M multiply-adds per step) trained as fast on one thread as on two on an idle
  // machine, and faster on one under load, so the panel path also asks for kParallelCallSteps steps'
  // worth of that work in the whole call. (Such a batch now usually runs split by rows, row_blocks_for,
  // which meets once per call; this plan still serves weights too large for that.) The matrix-vector path (batch 1-2, generation one step per
  // call) keeps its per-step rule: its blocks are split once per call and its steps are short.
  const bool enough_steps = cheap_steps || macs * static_cast<double>(p.T) >= parallel_macs * kParallelCallSteps;
  s.threads = macs >= parallel_macs && enough_steps && panels > 1 ? e.threads() : 1;
  // One panel per task keeps a panel in L1 across the batch rows. A matrix-vector product is fastest
  // over long runs of a weight row: one block of units per thread.
  s.width = s.gemv ? one_block_width(s.nr, p.U, s.threads) : s.nr;
  s.unit_blocks = (p.U + s.width - 1) / s.width;
  return s;
}

int64_t row_blocks_for(const ComputeContext& e, const RnnProblem& p) {
  const int threads = e.threads();
  if (threads <= 1 || p.B <= kOwnedBlocksMaxBatch) return 0;  // small batches run on OwnedBlocks
  const double weights = static_cast<double>(p.U) * p.G() * p.U;
  if (weights * sizeof(float) > kRowBlocksMaxWeightBytes) return 0;
  if (weights * static_cast<double>(p.B) * static_cast<double>(p.T) < e.min_parallel_macs_per_step) return 0;
  return std::min<int64_t>(threads, p.B / 4);  // at least 4 rows per range
}

const float* dropped_inputs(const ComputeContext& e, const RnnProblem& p) {
  if (!p.in_drop) return p.x;
  float* xd = e.scratch->floats(static_cast<size_t>(p.B * p.T * p.F));
  for (int64_t b = 0; b < p.B; ++b)
    for (int64_t t = 0; t < p.T; ++t)
      e.isa->mul(p.F, p.x + (b * p.T + t) * p.F, p.in_drop + b * p.F, xd + (b * p.T + t) * p.F);
  return xd;
}

}  // namespace rk
