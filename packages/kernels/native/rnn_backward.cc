// Backpropagation through time.
//
// The time loop runs in reverse processing order as phases of tasks over blocks of units (as in
// the forward). Per step:
//   phase A (gate_gradients) turns the gradient reaching the new state into the gradients of the
//     gate pre-activations (dZ) for a block of units;
//   phase B (state_gradient), once the whole dZ row is known, multiplies it by R^T for the block,
//     giving the gradient of the previous state. GRU with reset_after=false first goes through r*hd
//     (reset_gate_gradient), then through z and r: three phases per step.
// dZ of every step is kept, so after the loop the weight gradients are single GEMMs
// (weight_gradients): dK = (x*in_drop)^T·dZ, dR = (h_prev*rec_drop)^T·dZ_rec, dx = (dZ·K^T)*in_drop.
//
// With enough batch rows and recurrent weights that fit in a core's cache (row_blocks_for), the loop is
// split by batch rows instead: each thread takes its rows, every unit, through every step, and the
// threads meet once. The weight gradients after the loop are the same GEMMs either way.
//
// Masks: at a masked step the state and its gradient pass through unchanged and dZ is zero. The
// output of a masked step repeats the last emitted one, so (unless zero_output_for_mask) its
// gradient is carried back to the last valid step (and dropped if there is none).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "gemm.h"
#include "profile.h"
#include "rnn.h"
#include "row_ranges.h"
#include "sparse_rows.h"
#include "task_phases.h"

namespace rk {
namespace {

class BackwardPass : private ProblemSizes {
 public:
  BackwardPass(const ComputeContext& e, const RnnProblem& p, const BackwardInputs& in, const BackwardOutputs& out);
  void run_time_loop();
  void write_state_gradients();
  void weight_gradients();

 private:
  void step_phase(int tid, int64_t phase, const StepSlice& slice);
  void gate_gradients(int tid, int64_t s, int64_t t, const StepSlice& slice);
  void reset_gate_gradient(int tid, int64_t t, const StepSlice& slice);
  void state_gradient(int64_t t, const StepSlice& slice);
  // The gradient of the output emitted at step s for row b (units from u0), or null when none.
  const float* output_gradient(int64_t b, int64_t s, int64_t u0) const;
  // Always inlined, for the reason given at prefetch_floats (rnn.h).
  [[gnu::always_inline]] inline void prefetch_step(int64_t b, int64_t t, int64_t u0, int64_t n) const;

  const ComputeContext& e_;
  const RnnProblem& p_;
  const BackwardInputs& in_;
  const BackwardOutputs& out_;
  const IsaTable* isa_;
  const int64_t BT;
  const float* gates_;
  const float* hprev_ws_;
  const float* cprev_ws_;
  const float* inner_ws_;
  float* dZx_;  // [B*T, G*U] gate gradients, input side
  float* dZr_;  // recurrent side (its own only for GRU reset_after)
  BPanels RT_;
  float* dHc_;           // gradient reaching the current state
  float* dCc_ = nullptr;  // LSTM: the same for the cell state
  float* out_carry_;     // output gradients of masked steps, owed to the last valid step
  float* dh_direct_;     // gradient of h_prev not through R (GRU: dh*z)
  float* Dh_;            // dZ·R^T of one step
  float* Drh_ = nullptr;
  float* dhd_part_ = nullptr;
  StepPlan plan_;
  int64_t row_blocks_;  // > 0: the loop runs by batch rows, from that many ranges (RowRanges)
  int threads_;         // threads the loop may use
  // Partial squared norms per step: by rows, one per group of RowRanges::kRowGroup rows; by units, one per
  // block of units. Each is written by whoever runs its rows or units and summed in slot order, so the sum
  // does not depend on which thread ran what.
  int64_t norm_slots_;
  float* norm_parts_;  // [norm_slots, T]
  float* row_tmp_;     // [threads, 4U]: a row's total gradient, r*hd (GRU), squares, their running sums
};

BackwardPass::BackwardPass(const ComputeContext& e, const RnnProblem& p, const BackwardInputs& in,
                           const BackwardOutputs& out)
    : ProblemSizes(p),
      e_(e),
      p_(p),
      in_(in),
      out_(out),
      isa_(e.isa),
      BT(p.B * p.T) {
  WorkspaceLayout L;
  workspace_layout(p.cell, B, T, U, p.reset_after, &L);
  gates_ = in.ws + L.gates;
  hprev_ws_ = in.ws + L.hprev;
  cprev_ws_ = L.cprev >= 0 ? in.ws + L.cprev : nullptr;
  inner_ws_ = L.inner >= 0 ? in.ws + L.inner : nullptr;

  dZx_ = e.scratch->floats(static_cast<size_t>(BT * GU));
  dZr_ = ra ? e.scratch->floats(static_cast<size_t>(BT * GU)) : dZx_;
  {
    RK_PHASE(pack, "bwd pack R^T");
    RT_ = pack_b(e, true, GU, U, p.rec, GU);  // op(B) = R^T: GU x U
  }
  const size_t BU = static_cast<size_t>(B * U);
  dHc_ = e.scratch->floats(BU);
  if (in.d_h) std::memcpy(dHc_, in.d_h, BU * sizeof(float));
  else std::memset(dHc_, 0, BU * sizeof(float));
  if (p.cell == CELL_LSTM) {
    dCc_ = e.scratch->floats(BU);
    if (in.d_c) std::memcpy(dCc_, in.d_c, BU * sizeof(float));
    else std::memset(dCc_, 0, BU * sizeof(float));
  }
  out_carry_ = e.scratch->zeros(BU);
  dh_direct_ = e.scratch->zeros(BU);
  Dh_ = e.scratch->floats(BU);
  if (rb) {
    Drh_ = e.scratch->floats(BU);
    dhd_part_ = e.scratch->floats(BU);
  }
  plan_ = plan_steps(e, p, BAccess::kPacked, false);
  row_blocks_ = row_blocks_for(e, p);
  threads_ = row_blocks_ > 0 ? static_cast<int>(row_blocks_) : plan_.threads;
  norm_slots_ = row_blocks_ > 0 ? (B + RowRanges::kRowGroup - 1) / RowRanges::kRowGroup : plan_.unit_blocks;
  norm_parts_ = e.scratch->zeros(static_cast<size_t>(norm_slots_) * static_cast<size_t>(T));
  row_tmp_ = e.scratch->floats(static_cast<size_t>(threads_) * 4 * static_cast<size_t>(U));
}

const float* BackwardPass::output_gradient(int64_t b, int64_t s, int64_t u0) const {
  if (!in_.d_outputs) return nullptr;
  if (p_.return_sequences) return in_.d_outputs + (b * T + s) * U + u0;
  return s == T - 1 ? in_.d_outputs + b * U + u0 : nullptr;  // only the last step's output was returned
}

// Asks for the rows that the next step (in reverse) will read while this one computes.
inline void BackwardPass::prefetch_step(int64_t b, int64_t t, int64_t u0, int64_t n) const {
  const int64_t row = b * T + t;
  for (int64_t g = 0; g < G; ++g) {
    prefetch_floats(gates_ + row * GU + g * U + u0, n);
    prefetch_floats_for_write(dZx_ + row * GU + g * U + u0, n);
    if (ra) prefetch_floats_for_write(dZr_ + row * GU + g * U + u0, n);
  }
  if (cprev_ws_) prefetch_floats(cprev_ws_ + row * U + u0, n);
  if (inner_ws_) prefetch_floats(inner_ws_ + row * U + u0, n);
  if (p_.cell == CELL_GRU) prefetch_floats(hprev_ws_ + row * U + u0, n);
}

// Phase A: the gate gradients dZ of this block of units, from the gradient reaching the new state.
void BackwardPass::gate_gradients(int tid, int64_t s, int64_t t, const StepSlice& slice) {
  RK_PHASE(phase_a, "bwd step elementwise");
  const RnnProblem& p = p_;
  const int64_t u0 = slice.u0, n = slice.n;
  const size_t nbytes = static_cast<size_t>(n) * sizeof(float);
  float* total = row_tmp_ + static_cast<size_t>(tid) * 4 * U;
  // The squared norm of the gradient reaching the state: squares summed per unit over the rows, in
  // vectors, then over the units once per slot (a horizontal sum per row would cost more than the row).
  // The slot: by rows, the group of kRowGroup rows (a range of RowRanges holds whole groups); by units,
  // this block of units.
  float* squares = total + 2 * U;
  float* unit_sums = total + 3 * U;
  std::memset(unit_sums, 0, nbytes);
  auto add_squares = [&](const float* v) {
    isa_->mul(n, v, v, squares);
    isa_->add_colsums(1, n, squares, n, unit_sums);
  };
  // Eight running sums, then a fixed tree: a group of rows flushes every step, and eight sums keep its
  // additions from each waiting for the one before (the order is fixed, so the sum is too).
  auto flush_norm = [&](int64_t slot) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
      for (int k = 0; k < 8; ++k) acc[k] += unit_sums[i + k];
    for (int k = 0; i < n; ++i, ++k) acc[k] += unit_sums[i];
    const float norm_sq = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    norm_parts_[slot * T + s] += norm_sq;
    std::memset(unit_sums, 0, nbytes);
  };
  const bool by_rows = row_blocks_ > 0;
  for (int64_t b = slice.b0; b < slice.b1; ++b) {
    if (by_rows && b > slice.b0 && b % RowRanges::kRowGroup == 0) flush_norm(b / RowRanges::kRowGroup - 1);
    if (s > 0) prefetch_step(b, p.time_at(s - 1), u0, n);
    const int64_t row = b * T + t;
    const float* a = gates_ + row * GU + u0;
    float* dh = dHc_ + b * U + u0;
    float* carry = out_carry_ + b * U + u0;
    const float* dout = output_gradient(b, s, u0);
    if (!p.valid(b, t)) {
      add_squares(dh);
      if (dout && !p.zero_output_for_mask)
        for (int64_t i = 0; i < n; ++i) carry[i] += dout[i];
      for (int64_t g = 0; g < G; ++g) {
        std::memset(dZx_ + row * GU + g * U + u0, 0, nbytes);
        if (ra) std::memset(dZr_ + row * GU + g * U + u0, 0, nbytes);
      }
      continue;
    }
    isa_->state_total(n, dh, dout, carry, total, unit_sums);
    float* dz = dZx_ + row * GU + u0;
    switch (p.cell) {
      case CELL_SIMPLE_RNN: isa_->simple_bwd(n, p.act, a, total, dz); break;
      case CELL_LSTM: isa_->lstm_bwd(n, U, p.act, p.ract, a, cprev_ws_ + row * U + u0, total, dCc_ + b * U + u0, dz); break;
      case CELL_GRU:
        if (ra) {
          isa_->gru_ra_bwd(n, U, p.act, p.ract, a, inner_ws_ + row * U + u0, hprev_ws_ + row * U + u0, total, dz,
                           dZr_ + row * GU + u0, dh_direct_ + b * U + u0);
        } else {
          isa_->gru_rb_bwd1(n, U, p.act, p.ract, a, hprev_ws_ + row * U + u0, total, dz, dh_direct_ + b * U + u0);
        }
        break;
    }
  }
  if (slice.b1 > slice.b0) flush_norm(by_rows ? (slice.b1 - 1) / RowRanges::kRowGroup : slice.block);
}

// GRU reset_after=false, through r*hd: d(rh) = dZ_h·R_h^T, then dZ_r and the part of d(hd) via r.
// Row b of this step's dZ is at dZ + t*GU + b*T*GU.
void BackwardPass::reset_gate_gradient(int tid, int64_t t, const StepSlice& slice) {
  RK_PHASE(phase_b1, "bwd step gemm+update");
  const int64_t u0 = slice.u0, n = slice.n, b0 = slice.b0;
  gemm_panels(isa_, slice.b1 - b0, 2 * U, U, dZx_ + (b0 * T + t) * GU + 2 * U, T * GU, 1, RT_, slice.j0, slice.j1,
              Drh_ + b0 * U, U, false);
  float* hd_row = row_tmp_ + static_cast<size_t>(tid) * 4 * U + U;
  for (int64_t b = b0; b < slice.b1; ++b) {
    if (!p_.valid(b, t)) continue;
    const int64_t row = b * T + t;
    const float* hd = hprev_ws_ + row * U + u0;
    if (p_.rec_drop) {
      isa_->mul(n, hd, p_.rec_drop + b * U + u0, hd_row);
      hd = hd_row;
    }
    isa_->gru_rb_bwd2(n, p_.ract, gates_ + row * GU + U + u0, hd, Drh_ + b * U + u0, dZx_ + row * GU + U + u0,
                      dhd_part_ + b * U + u0);
  }
}

// Phase B: the gradient of the previous state for this block of units, dZ·R^T (times the recurrent
// dropout) plus what reaches h_prev directly.
void BackwardPass::state_gradient(int64_t t, const StepSlice& slice) {
  RK_PHASE(phase_b, "bwd step gemm+update");
  const int64_t u0 = slice.u0, n = slice.n, b0 = slice.b0, rows = slice.b1 - b0;
  // SimpleRNN and LSTM without a mask or recurrent dropout: the product is the gradient itself, written
  // in place (no other task of this phase reads the gradient of the state of these rows and units).
  const bool product_is_gradient = !p_.mask && !p_.rec_drop && p_.cell != CELL_GRU;
  float* product = (product_is_gradient ? dHc_ : Dh_) + b0 * U;
  const int64_t row0 = (b0 * T + t) * GU;
  if (rb) gemm_panels(isa_, rows, 0, 2 * U, dZx_ + row0, T * GU, 1, RT_, slice.j0, slice.j1, product, U, false);
  else gemm_panels(isa_, rows, 0, GU, dZr_ + row0, T * GU, 1, RT_, slice.j0, slice.j1, product, U, false);
  if (product_is_gradient) return;
  for (int64_t b = b0; b < slice.b1; ++b) {
    if (!p_.valid(b, t)) continue;
    float* dh = dHc_ + b * U + u0;
    const float* rec = Dh_ + b * U + u0;
    const float* drop = p_.rec_drop ? p_.rec_drop + b * U + u0 : nullptr;
    const float* direct = p_.cell == CELL_GRU ? dh_direct_ + b * U + u0 : nullptr;
    const float* part = rb ? dhd_part_ + b * U + u0 : nullptr;
    for (int64_t i = 0; i < n; ++i) {
      float g = part ? rec[i] + part[i] : rec[i];
      if (drop) g *= drop[i];
      dh[i] = direct ? direct[i] + g : g;
    }
  }
}

// Phase `phase` of the loop (steps in reverse processing order, two or three phases each) for one slice.
void BackwardPass::step_phase(int tid, int64_t phase, const StepSlice& slice) {
  const int64_t per_step = rb ? 3 : 2;
  const int64_t s = T - 1 - phase / per_step, sub = phase % per_step;
  const int64_t t = p_.time_at(s);
  if (sub == 0) gate_gradients(tid, s, t, slice);
  else if (rb && sub == 1) reset_gate_gradient(tid, t, slice);
  else state_gradient(t, slice);
}

void BackwardPass::run_time_loop() {
  RK_PHASE(loop, "bwd time loop");
  const int64_t phases = T * (rb ? 3 : 2);
  if (row_blocks_ > 0) {  // each task: its rows through every step
    RowRanges(B, phases).run(e_, threads_, [&](int tid, int64_t phase, int64_t b0, int64_t b1) {
      step_phase(tid, phase, plan_.row_slice(b0, b1, U));
    });
    return;
  }
  PhaseRunner(UniformPhases{phases, plan_.unit_blocks}).run(e_, plan_.threads, [&](int tid, int64_t phase, int64_t block) {
    step_phase(tid, phase, plan_.unit_slice(block, B, U));
  });
}

// The per-step gradient norms and the gradients of the initial states.
void BackwardPass::write_state_gradients() {
  for (int64_t s = 0; s < T; ++s) {
    double sum = 0.0;
    for (int64_t slot = 0; slot < norm_slots_; ++slot) sum += norm_parts_[slot * T + s];
    out_.dh_norms[s] = static_cast<float>(std::sqrt(sum));
  }
  const size_t BU = static_cast<size_t>(B * U);
  std::memcpy(out_.d_h0, dHc_, BU * sizeof(float));
  if (out_.d_c0 && dCc_) std::memcpy(out_.d_c0, dCc_, BU * sizeof(float));
}

// One GEMM per weight over all steps. dK and dR share one packing of dZ when they use the same dZ
// (all but GRU with reset_after=true, whose recurrent side has its own).
void BackwardPass::weight_gradients() {
  RK_PHASE(weights, "bwd weight gemms + dx");
  const RnnProblem& p = p_;
  const float* xd = dropped_inputs(e_, p);
  const float* hd_all = hprev_ws_;
  if (p.rec_drop) {
    float* m = e_.scratch->floats(static_cast<size_t>(BT * U));
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < T; ++t) isa_->mul(U, hprev_ws_ + (b * T + t) * U, p.rec_drop + b * U, m + (b * T + t) * U);
    hd_all = m;
  }
  // dK = Xd^T·dZ, from the nonzeros of Xd when it is sparse enough (one-hot text); the packing of dZ
  // then serves dR alone, which GRU with reset_after computes from its own dZ.
  SparseRows sparse;
  const bool sparse_dk = find_sparse_rows(e_, BT, F, xd, &sparse) && all_finite(BT * GU, dZx_);
  const BPanels dz_panels = sparse_dk && ra ? BPanels{} : pack_b(e_, false, BT, GU, dZx_, GU);
  if (sparse_dk) sparse_transposed_product(e_, sparse, F, dZx_, GU, GU, out_.d_kernel, GU);
  else sgemm_panels(e_, F, xd, 1, F, dz_panels, out_.d_kernel, GU, false);
  if (rb) {
    float* rhd = e_.scratch->floats(static_cast<size_t>(BT * U));
    for (int64_t row = 0; row < BT; ++row) isa_->mul(U, gates_ + row * GU + U, hd_all + row * U, rhd + row * U);
    if ((2 * U) % isa_->nr == 0) {
      sgemm_panels(e_, U, hd_all, 1, U, dz_panels.columns(0, 2 * U), out_.d_rec, GU, false);
      sgemm_panels(e_, U, rhd, 1, U, dz_panels.columns(2 * U, 3 * U), out_.d_rec + 2 * U, GU, false);
    } else {
      sgemm(e_, true, false, U, 2 * U, BT, hd_all, U, dZx_, GU, out_.d_rec, GU, false);
      sgemm(e_, true, false, U, U, BT, rhd, U, dZx_ + 2 * U, GU, out_.d_rec + 2 * U, GU, false);
    }
  } else if (ra) {
    sgemm(e_, true, false, U, GU, BT, hd_all, U, dZr_, GU, out_.d_rec, GU, false);
  } else {
    sgemm_panels(e_, U, hd_all, 1, U, dz_panels, out_.d_rec, GU, false);  // dR = Hd^T·dZ
  }
  if (out_.d_bias) {
    std::memset(out_.d_bias, 0, static_cast<size_t>(GU) * (ra ? 2 : 1) * sizeof(float));
    isa_->add_colsums(BT, GU, dZx_, GU, out_.d_bias);
    if (ra) isa_->add_colsums(BT, GU, dZr_, GU, out_.d_bias + GU);
  }
  if (!out_.dx) return;  // the caller does not need the gradient of x
  sgemm(e_, false, true, BT, F, GU, dZx_, GU, p.kernel, GU, out_.dx, F, false);
  if (p.in_drop)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < T; ++t) {
        float* row = out_.dx + (b * T + t) * F;
        isa_->mul(F, row, p.in_drop + b * F, row);
      }
}

// Every result of a problem with no batch rows or no units is zero (or empty).
void zero_outputs(const RnnProblem& p, const BackwardOutputs& out) {
  const int64_t GU = p.G() * p.U;
  auto zero = [](float* a, int64_t n) {
    if (a) std::memset(a, 0, static_cast<size_t>(n) * sizeof(float));
  };
  zero(out.dx, p.B * p.T * p.F);
  zero(out.d_kernel, p.F * GU);
  zero(out.d_rec, p.U * GU);
  zero(out.d_bias, GU * (p.gru_reset_after() ? 2 : 1));
  zero(out.d_h0, p.B * p.U);
  zero(out.d_c0, p.B * p.U);
  zero(out.dh_norms, p.T);
}

}  // namespace

void rnn_backward(const ComputeContext& e, const RnnProblem& p, const BackwardInputs& in, const BackwardOutputs& out) {
  if (p.B == 0 || p.U == 0) return zero_outputs(p, out);
  BackwardPass pass(e, p, in, out);
  pass.run_time_loop();
  pass.write_state_gradients();
  pass.weight_gradients();
}

}  // namespace rk
