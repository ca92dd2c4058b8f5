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
#include "task_phases.h"

namespace rk {
namespace {

class StepPass {
 public:
  StepPass(const ComputeContext& e, const StepProblem& p)
      : e_(e), p_(p), isa_(e.isa), G_(p.G()), GU_(p.G() * p.U), rb_(p.gru_reset_before()) {
    const size_t BU = static_cast<size_t>(p.B * p.U), BGU = static_cast<size_t>(p.B * GU_);
    proj_ = e.scratch->floats(BGU);
    zr_ = e.scratch->floats(BGU);
    hn_ = e.scratch->floats(BU);
    if (p.gru_reset_after()) inner_ = e.scratch->floats(BU);
    if (rb_) rh_ = e.scratch->floats(BU);
    plan();
  }

  void run() {
    PhaseRunner(UniformPhases{rb_ ? 2 : 1, blocks_}).run(e_, threads_, [&](int, int64_t phase, int64_t block) {
      task(phase, block);
    });
    std::memcpy(p_.h, hn_, static_cast<size_t>(p_.B * p_.U) * sizeof(float));
  }

 private:
  // Blocks of units as the forward's matrix-vector steps cut them (plan_steps): one block per thread,
  // a multiple of the micro-kernel width, so the weights' vectors start alike in every block. The
  // step's work counts both products.
  void plan() {
    const int64_t nr = isa_->nr, panels = (p_.U + nr - 1) / nr;
    const double macs = static_cast<double>(p_.B) * GU_ * (p_.F + p_.U);
    threads_ = macs >= e_.min_parallel_macs_per_step * kGemvParallelShare && panels > 1 ? e_.threads() : 1;
    width_ = nr * std::max<int64_t>(1, (panels + threads_ - 1) / threads_);
    blocks_ = (p_.U + width_ - 1) / width_;
  }

  // Columns [u0, u0 + n) of `strips` gates from gate g0 on: c (row stride GU) = a (B rows of k) · W.
  void products(int64_t k, const float* a, const float* W, int64_t g0, int64_t strips, int64_t u0, int64_t n, float* c) {
    const int64_t U = p_.U;
    for (int64_t b = 0; b < p_.B; ++b)
      isa_->gemv_strips(k, a + b * k, W + g0 * U + u0, GU_, strips, U, n, c + b * GU_ + g0 * U + u0);
  }

  void task(int64_t phase, int64_t block) {
    const StepProblem& p = p_;
    const int64_t U = p.U, u0 = block * width_, n = std::min(U, u0 + width_) - u0;
    auto bias_at = [&](int64_t offset) -> const float* { return p.bias ? p.bias + offset + u0 : nullptr; };
    if (phase == 1) {  // GRU reset_after=false: the candidate's product of r*h, then the new state
      products(U, rh_, p.rec, 2, 1, u0, n, zr_);
      for (int64_t b = 0; b < p.B; ++b)
        isa_->gru_rb_fwd2(n, U, p.act, proj_ + b * GU_ + u0, zr_ + b * GU_ + 2 * U + u0, bias_at(2 * U),
                          p.h + b * U + u0, hn_ + b * U + u0);
      return;
    }
    products(p.F, p.x, p.kernel, 0, G_, u0, n, proj_);
    products(U, p.h, p.rec, 0, rb_ ? 2 : G_, u0, n, zr_);
    for (int64_t b = 0; b < p.B; ++b) {
      float* a = proj_ + b * GU_ + u0;
      const float* zr = zr_ + b * GU_ + u0;
      const float* hp = p.h + b * U + u0;
      float* h_new = hn_ + b * U + u0;
      switch (p.cell) {
        case CELL_SIMPLE_RNN: isa_->simple_fwd(n, p.act, a, zr, bias_at(0), h_new); break;
        case CELL_LSTM: {
          float* c = p.c + b * U + u0;  // each unit's cell state is read, then written, by its own task
          isa_->lstm_fwd(n, U, p.act, p.ract, a, zr, bias_at(0), c, c, h_new);
          break;
        }
        case CELL_GRU:
          if (rb_) isa_->gru_rb_fwd1(n, U, p.ract, a, zr, bias_at(0), hp, rh_ + b * U + u0);
          else isa_->gru_ra_fwd(n, U, p.act, p.ract, a, zr, bias_at(0), bias_at(GU_), hp, inner_ + b * U + u0, h_new);
          break;
      }
    }
  }

  const ComputeContext& e_;
  const StepProblem& p_;
  const IsaTable* isa_;
  const int64_t G_, GU_;
  const bool rb_;
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
