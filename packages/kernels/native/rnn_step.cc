// One timestep in place (rnn_step.h). A task per block of units does all of the step's work for those
// units: the input projection x·K and the recurrent product h·R of every gate (each weight row read
// once, in order, by gemv_strips), then the cell's row function. Each thread owns one block, so from
// step to step the same core reads the same columns of K and R and keeps them in its cache. GRU with
// reset_after=false needs r*h of every unit before its candidate's product: a second phase.
// With weights packed by block (step_weights.h), a block's products read its own rows in one stream
// into sums of its own, then copied to the gates' places.
//
// The bits are the forward's at T = 1 (rnn_forward.cc): there the projection is a matrix-vector
// product per batch row (sgemm of one or two rows, or micro-kernel tiles for more), and the recurrent
// product gemv or gemv_strips; all of them add the terms of each sum in row order with one fused
// multiply-add each, from zero, so a block's sums are those of the whole row. The gate's bias is then
// added to the projection and the recurrent product in the row function, as there.
#include "rnn_step.h"

#include <algorithm>
#include <cstring>

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
    const StepBlocks plan = plan_step_blocks(e, p.B, p.F, p.U, p.G());
    threads_ = plan.threads;
    width_ = p.packed ? p.packed->width : plan.width;
    blocks_ = p.packed ? p.packed->blocks : plan.blocks;
    if (p.packed) {  // each block's sums on cache lines of their own (the blocks' threads write them side by side)
      sums_stride_ = (p.B * p.G() * width_ + 15) / 16 * 16;
      sums_ = e.scratch->floats(static_cast<size_t>(sums_stride_ * blocks_));
    }
  }

  void run() {
    PhaseRunner(UniformPhases{block_.two_phases() ? 2 : 1, blocks_}).run(e_, threads_, [&](int, int64_t phase, int64_t block) {
      task(phase, block);
    });
    std::memcpy(p_.h, hn_, static_cast<size_t>(p_.B * p_.U) * sizeof(float));
  }

 private:
  void task(int64_t phase, int64_t block) {
    const StepProblem& p = p_;
    const int64_t U = p.U, u0 = block * width_, n = std::min(U, u0 + width_) - u0;
    if (phase == 1) {  // GRU reset_after=false: the candidate's product of r*h, then the new state
      products(block, p.B, U, rh_, kRecurrent, 2, 3, u0, n, zr_);
      for (int64_t b = 0; b < p.B; ++b)
        block_.finish_candidate(u0, n, proj_ + b * GU_ + u0, zr_ + b * GU_ + 2 * U + u0, p.h + b * U + u0, hn_ + b * U + u0);
      return;
    }
    products(block, p.B, p.F, p.x, kInput, 0, p.G(), u0, n, proj_);
    products(block, p.B, U, p.h, kRecurrent, 0, block_.first_phase_gates(), u0, n, zr_);
    for (int64_t b = 0; b < p.B; ++b) {
      const float* hp = p.h + b * U + u0;
      // Each unit's cell state is read, then written, by its own task.
      block_.update_row(u0, n, proj_ + b * GU_ + u0, zr_ + b * GU_ + u0, hp, hp, p.c ? p.c + b * U + u0 : nullptr,
                        inner_ ? inner_ + b * U + u0 : nullptr, rh_ ? rh_ + b * U + u0 : nullptr, hn_ + b * U + u0);
    }
  }

  enum Weights { kInput, kRecurrent };

  // out[b*GU + g*U + u0 + j] = a_b · W[:, g*U + u0 + j] for gates [g0, g1), j < n, where W is the
  // kernel (k = F) or the recurrent kernel (k = U): read in place, or from the block's packed rows.
  void products(int64_t block, int64_t B, int64_t k, const float* a, Weights which, int64_t g0, int64_t g1, int64_t u0,
                int64_t n, float* out) const {
    const PackedStepWeights* w = p_.packed;
    if (!w) return block_.products(B, k, a, which == kInput ? p_.kernel : p_.rec, g0, g1, u0, n, out, GU_);
    const float* rows = (which == kInput ? w->kernel_block(block) : w->rec_block(block)) + g0 * n;
    const int64_t G = w->G, cols = (g1 - g0) * n;
    float* sums = sums_ + block * sums_stride_;
    if (B == 1) e_.isa->gemv(k, a, 1, rows, G * n, cols, sums, 0);
    else e_.isa->gemv_strips(B, k, a, k, rows, G * n, 1, 0, cols, sums, cols);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t g = g0; g < g1; ++g)
        std::memcpy(out + b * GU_ + g * p_.U + u0, sums + b * cols + (g - g0) * n, static_cast<size_t>(n) * sizeof(float));
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
  float* sums_ = nullptr;   // packed weights: each block's sums, sums_stride_ floats apart
  int64_t sums_stride_ = 0;
  int threads_ = 1;
  int64_t width_ = 1, blocks_ = 1;
};

}  // namespace

void rnn_step(const ComputeContext& e, const StepProblem& p) {
  if (p.B == 0 || p.U == 0) return;  // nothing to compute or to write
  StepPass(e, p).run();
}

}  // namespace rk
