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

// Below this many multiply-adds per step, the barrier between steps costs more than a second
// thread saves.
static const double kMinMacsPerStepForThreads = 40000.0;

UnitSlices plan_unit_slices(const Engine& e, const RnnProblem& p) {
  UnitSlices s;
  s.panels_per_gate = (p.U + e.isa->nr - 1) / e.isa->nr;
  const double macs = static_cast<double>(p.B) * p.U * p.G() * p.U;
  int threads = macs >= kMinMacsPerStepForThreads ? e.threads() : 1;
  threads = static_cast<int>(std::min<int64_t>(threads, std::max<int64_t>(1, s.panels_per_gate)));
  s.threads = threads;
  return s;
}

const float* dropped_inputs(const Engine& e, const RnnProblem& p) {
  if (!p.in_drop) return p.x;
  float* xd = e.scratch->floats(static_cast<size_t>(p.B * p.T * p.F));
  for (int64_t b = 0; b < p.B; ++b)
    for (int64_t t = 0; t < p.T; ++t)
      e.isa->mul(p.F, p.x + (b * p.T + t) * p.F, p.in_drop + b * p.F, xd + (b * p.T + t) * p.F);
  return xd;
}

}  // namespace rk
