// One timestep in place (rnn_step.h). A task per block of units does all of the step's work for those
// units: the input projection x·K and the recurrent product h·R of every gate (each weight row read
// once, in order, by gemv_strips), then the cell's row function. Each thread owns one block, so from
// step to step the same core reads the same columns of K and R and keeps them in its cache. GRU with
// reset_after=false needs r*h of every unit before its candidate's product: a second phase.
//
// The bits are the forward's at T = 1 (rnn_forward.cc): there the projection is a matrix-vector
// product per batch row (sgemm of one or two rows, or micro-kernel tiles for more), and the recurrent
// product gemv or gemv_strips; all of them add the terms of each sum in row order with one fused
// multiply-add each, from zero, so a block's sums are those of the whole row. The gate's bias is then
// added to the projection and the recurrent product in the row function, as there.
#include "rnn_step.h"

#include <algorithm>
#include <cstring>

#include "gemm.h"
#include "rnn_block.h"
#include "task_phases.h"

namespace rk {
namespace {

class StepPass {
 public:
  StepPass(const ComputeContext& e, const StepProblem& p)
      : e_(e),
        p_(p),
        block_{e.isa, p.cell, p.act, p.ract, p.reset_after, p.U, p.rec, p.bias},
        GU_(p.G() * p.U) {
    const size_t BU = static_cast<size_t>(p.B * p.U), BGU = static_cast<size_t>(p.B * GU_);
    proj_ = e.scratch->floats(BGU);
    zr_ = e.scratch->floats(BGU);
    hn_ = e.scratch->floats(BU);
    if (p.gru_reset_after()) inner_ = e.scratch->floats(BU);
    if (block_.two_phases()) rh_ = e.scratch->floats(BU);
    plan();
  }

  void run() {
    PhaseRunner(UniformPhases{block_.two_phases() ? 2 : 1, blocks_}).run(e_, threads_, [&](int, int64_t phase, int64_t block) {
      task(phase, block);
    });
    std::memcpy(p_.h, hn_, static_cast<size_t>(p_.B * p_.U) * sizeof(float));
  }

 private:
  // Blocks of units as the forward's matrix-vector steps cut them (plan_steps): one block per thread,
  // a multiple of the micro-kernel width, so the weights' vectors start alike in every block. The
  // step's work counts both products.
  void plan() {
    const int64_t nr = e_.isa->nr, panels = (p_.U + nr - 1) / nr;
    const double macs = static_cast<double>(p_.B) * GU_ * (p_.F + p_.U);
    threads_ = macs >= e_.min_parallel_macs_per_step * kGemvParallelShare && panels > 1 ? e_.threads() : 1;
    width_ = nr * std::max<int64_t>(1, (panels + threads_ - 1) / threads_);
    blocks_ = (p_.U + width_ - 1) / width_;
  }

  void task(int64_t phase, int64_t block) {
    const StepProblem& p = p_;
    const int64_t U = p.U, u0 = block * width_, n = std::min(U, u0 + width_) - u0;
    if (phase == 1) {  // GRU reset_after=false: the candidate's product of r*h, then the new state
      block_.products(p.B, U, rh_, p.rec, 2, 3, u0, n, zr_, GU_);
      for (int64_t b = 0; b < p.B; ++b)
        block_.finish_candidate(u0, n, proj_ + b * GU_ + u0, zr_ + b * GU_ + 2 * U + u0, p.h + b * U + u0, hn_ + b * U + u0);
      return;
    }
    block_.products(p.B, p.F, p.x, p.kernel, 0, p.G(), u0, n, proj_, GU_);
    block_.products(p.B, U, p.h, p.rec, 0, block_.first_phase_gates(), u0, n, zr_, GU_);
    for (int64_t b = 0; b < p.B; ++b) {
      const float* hp = p.h + b * U + u0;
      // Each unit's cell state is read, then written, by its own task.
      block_.update_row(u0, n, proj_ + b * GU_ + u0, zr_ + b * GU_ + u0, hp, hp, p.c ? p.c + b * U + u0 : nullptr,
                        inner_ ? inner_ + b * U + u0 : nullptr, rh_ ? rh_ + b * U + u0 : nullptr, hn_ + b * U + u0);
    }
  }

  const ComputeContext& e_;
  const StepProblem& p_;
  const CellBlock block_;
  const int64_t GU_;
  float* proj_;  // [B, GU] the input projection, then the activated gates
  float* zr_;    // [B, GU] the recurrent products
  float* hn_;    // [B, U] the new state: h is read by every task until the step ends
  float* inner_ = nullptr;  // GRU reset_after: h·R_h + b_rec,h (written by the row function, not kept)
  float* rh_ = nullptr;     // GRU reset_after=false: r * h
  int threads_ = 1;
  int64_t width_ = 1, blocks_ = 1;
};

}  // namespace

void rnn_step(const ComputeContext& e, const StepProblem& p) {
  if (p.B == 0 || p.U == 0) return;  // nothing to compute or to write
  StepPass(e, p).run();
}

}  // namespace rk
