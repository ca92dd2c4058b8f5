// Backpropagation through time.
//
// The time loop runs in reverse processing order as phases of tasks over blocks of units (as in
// the forward). Per step, phase A turns the gradient reaching the new state into the gradients of
// the gate pre-activations (dZ) for a block of units; once the whole dZ row is known, phase B
// multiplies it by R^T for the block, giving the gradient of the previous state. dZ of every step is kept, so the weight gradients are single GEMMs after the loop:
// dK = (x*in_drop)^T·dZ, dR = (h_prev*rec_drop)^T·dZ_rec, dx = (dZ·K^T)*in_drop.
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
#include "task_phases.h"

namespace rk {

void rnn_backward(const ComputeContext& e, const RnnProblem& p, const BackwardInputs& in, const BackwardOutputs& out) {
  const int64_t B = p.B, T = p.T, F = p.F, U = p.U, G = p.G(), GU = G * U, BT = B * T;
  const IsaTable* isa = e.isa;
  WorkspaceLayout L;
  workspace_layout(p.cell, B, T, U, p.reset_after, &L);
  const float* gates = in.ws + L.gates;
  const float* hprev_ws = in.ws + L.hprev;
  const float* cprev_ws = L.cprev >= 0 ? in.ws + L.cprev : nullptr;
  const float* inner_ws = L.inner >= 0 ? in.ws + L.inner : nullptr;
  const bool ra = p.gru_reset_after(), rb = p.gru_reset_before();

  float* dZx = e.scratch->floats(static_cast<size_t>(BT * GU));       // input side
  float* dZr = ra ? e.scratch->floats(static_cast<size_t>(BT * GU)) : dZx;  // recurrent side
  BPanels RT;
  {
    RK_PHASE(pack, "bwd pack R^T");
    RT = pack_b(e, true, GU, U, p.rec, GU);  // op(B) = R^T: GU x U
  }

  const size_t BU = static_cast<size_t>(B * U);
  float* dHc = e.scratch->floats(BU);  // gradient reaching the current state
  if (in.d_h) std::memcpy(dHc, in.d_h, BU * sizeof(float));
  else std::memset(dHc, 0, BU * sizeof(float));
  float* dCc = nullptr;
  if (p.cell == CELL_LSTM) {
    dCc = e.scratch->floats(BU);
    if (in.d_c) std::memcpy(dCc, in.d_c, BU * sizeof(float));
    else std::memset(dCc, 0, BU * sizeof(float));
  }
  float* out_carry = e.scratch->zeros(BU);  // output gradients of masked steps, owed to the last valid step
  float* dh_direct = e.scratch->zeros(BU);  // gradient of h_prev not through R (GRU: dh*z)
  float* Dh = e.scratch->floats(BU);        // dZ·R^T of one step
  float* Drh = rb ? e.scratch->floats(BU) : nullptr;
  float* dhd_part = rb ? e.scratch->floats(BU) : nullptr;

  const StepPlan plan = plan_steps(e, p, true);
  float* norm_parts = e.scratch->zeros(static_cast<size_t>(plan.threads * T));
  float* row_tmp = e.scratch->floats(static_cast<size_t>(plan.threads) * 2 * static_cast<size_t>(U));
  // Per step (in reverse): phase A (gate gradients), then phase B (dZ·R^T); GRU with
  // reset_after=false splits B in two (through r*hd first, then through z and r).
  const int64_t per_step = rb ? 3 : 2;
  const int64_t* offsets = uniform_phase_offsets(e, T * per_step, plan.unit_blocks);

  auto task = [&](int tid, int64_t phase, int64_t block) {
    const int64_t s = T - 1 - phase / per_step, sub = phase % per_step;
    const int64_t t = p.go_backwards ? T - 1 - s : s;
    const int64_t u0 = plan.first_unit(block), n = std::min(U, u0 + plan.width) - u0;
    const size_t nbytes = static_cast<size_t>(n) * sizeof(float);

    if (sub == 0) {  // Phase A: gate gradients of this block of units.
      RK_PHASE(phase_a, "bwd step elementwise");
      float* total = row_tmp + static_cast<size_t>(tid) * 2 * U;
      float norm_sq = 0.0f;
      const int64_t t_next = p.go_backwards ? t + 1 : t - 1;  // the step processed after this one
      const bool prefetch = s > 0;
      for (int64_t b = 0; b < B; ++b) {
        const int64_t row = b * T + t;
        if (prefetch) {
          const int64_t next = b * T + t_next;
          for (int64_t g = 0; g < G; ++g) {
            prefetch_floats(gates + next * GU + g * U + u0, n);
            prefetch_floats_for_write(dZx + next * GU + g * U + u0, n);
            if (ra) prefetch_floats_for_write(dZr + next * GU + g * U + u0, n);
          }
          if (cprev_ws) prefetch_floats(cprev_ws + next * U + u0, n);
          if (inner_ws) prefetch_floats(inner_ws + next * U + u0, n);
          if (p.cell == CELL_GRU) prefetch_floats(hprev_ws + next * U + u0, n);
        }
        const float* a = gates + row * GU + u0;
        float* dh = dHc + b * U + u0;
        float* carry = out_carry + b * U + u0;
        const float* dout = in.d_outputs ? in.d_outputs + (b * T + s) * U + u0 : nullptr;
        if (!p.valid(b, t)) {
          norm_sq += isa->sum_squares(n, dh);
          if (dout && !p.zero_output_for_mask)
            for (int64_t i = 0; i < n; ++i) carry[i] += dout[i];
          for (int64_t g = 0; g < G; ++g) {
            std::memset(dZx + row * GU + g * U + u0, 0, nbytes);
            if (ra) std::memset(dZr + row * GU + g * U + u0, 0, nbytes);
          }
          continue;
        }
        for (int64_t i = 0; i < n; ++i) total[i] = dh[i] + (dout ? dout[i] : 0.0f) + carry[i];
        std::memset(carry, 0, nbytes);
        norm_sq += isa->sum_squares(n, total);
        float* dz = dZx + row * GU + u0;
        switch (p.cell) {
          case CELL_SIMPLE_RNN: isa->simple_bwd(n, p.act, a, total, dz); break;
          case CELL_LSTM:
            isa->lstm_bwd(n, U, p.act, p.ract, a, cprev_ws + row * U + u0, total, dCc + b * U + u0, dz);
            break;
          case CELL_GRU:
            if (ra) {
              isa->gru_ra_bwd(n, U, p.act, p.ract, a, inner_ws + row * U + u0, hprev_ws + row * U + u0, total, dz,
                              dZr + row * GU + u0, dh_direct + b * U + u0);
            } else {
              isa->gru_rb_bwd1(n, U, p.act, p.ract, a, hprev_ws + row * U + u0, total, dz, dh_direct + b * U + u0);
            }
            break;
        }
      }
      norm_parts[tid * T + s] += norm_sq;
      return;
    }

    RK_PHASE(phase_b, "bwd step gemm+update");
    const int64_t j0 = plan.first_panel(block), j1 = plan.end_panel(block, U);
    // Row b of this step's dZ is at dZ + t*GU + b*T*GU.
    if (rb && sub == 1) {  // through r*hd: d(rh) = dZ_h·R_h^T, then dZ_r and the part of d(hd) via r
      gemm_panels(isa, B, 2 * U, U, dZx + t * GU + 2 * U, T * GU, 1, RT, j0, j1, Drh, U, false);
      float* hd_row = row_tmp + static_cast<size_t>(tid) * 2 * U + U;
      for (int64_t b = 0; b < B; ++b) {
        if (!p.valid(b, t)) continue;
        const int64_t row = b * T + t;
        const float* hd = hprev_ws + row * U + u0;
        if (p.rec_drop) {
          isa->mul(n, hd, p.rec_drop + b * U + u0, hd_row);
          hd = hd_row;
        }
        isa->gru_rb_bwd2(n, p.ract, gates + row * GU + U + u0, hd, Drh + b * U + u0, dZx + row * GU + U + u0,
                         dhd_part + b * U + u0);
      }
      return;
    }
    if (rb) gemm_panels(isa, B, 0, 2 * U, dZx + t * GU, T * GU, 1, RT, j0, j1, Dh, U, false);
    else gemm_panels(isa, B, 0, GU, dZr + t * GU, T * GU, 1, RT, j0, j1, Dh, U, false);
    for (int64_t b = 0; b < B; ++b) {
      if (!p.valid(b, t)) continue;
      float* dh = dHc + b * U + u0;
      const float* rec = Dh + b * U + u0;
      const float* drop = p.rec_drop ? p.rec_drop + b * U + u0 : nullptr;
      const float* direct = p.cell == CELL_GRU ? dh_direct + b * U + u0 : nullptr;
      const float* part = rb ? dhd_part + b * U + u0 : nullptr;
      for (int64_t i = 0; i < n; ++i) {
        float g = part ? rec[i] + part[i] : rec[i];
        if (drop) g *= drop[i];
        dh[i] = direct ? direct[i] + g : g;
      }
    }
  };
  {
    RK_PHASE(loop, "bwd time loop");
    PhaseRunner(T * per_step, offsets).run(e, plan.threads, task);
  }

  for (int64_t s = 0; s < T; ++s) {
    double sum = 0.0;
    for (int tid = 0; tid < plan.threads; ++tid) sum += norm_parts[tid * T + s];
    out.dh_norms[s] = static_cast<float>(std::sqrt(sum));
  }
  std::memcpy(out.d_h0, dHc, BU * sizeof(float));
  if (out.d_c0 && dCc) std::memcpy(out.d_c0, dCc, BU * sizeof(float));

  // Weight gradients: one GEMM each over all steps. dK and dR share one packing of dZ when they
  // use the same dZ (all but GRU with reset_after=true, whose recurrent side has its own).
  RK_PHASE(weights, "bwd weight gemms + dx");
  const float* xd = dropped_inputs(e, p);
  const float* hd_all = hprev_ws;
  if (p.rec_drop) {
    float* m = e.scratch->floats(static_cast<size_t>(BT * U));
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < T; ++t) isa->mul(U, hprev_ws + (b * T + t) * U, p.rec_drop + b * U, m + (b * T + t) * U);
    hd_all = m;
  }
  const BPanels dz_panels = pack_b(e, false, BT, GU, dZx, GU);
  sgemm_panels(e, F, xd, 1, F, dz_panels, out.d_kernel, GU, false);  // dK = Xd^T·dZ
  if (rb) {
    float* rhd = e.scratch->floats(static_cast<size_t>(BT * U));
    for (int64_t row = 0; row < BT; ++row) isa->mul(U, gates + row * GU + U, hd_all + row * U, rhd + row * U);
    if ((2 * U) % isa->nr == 0) {
      sgemm_panels(e, U, hd_all, 1, U, dz_panels.columns(0, 2 * U), out.d_rec, GU, false);
      sgemm_panels(e, U, rhd, 1, U, dz_panels.columns(2 * U, 3 * U), out.d_rec + 2 * U, GU, false);
    } else {
      sgemm(e, true, false, U, 2 * U, BT, hd_all, U, dZx, GU, out.d_rec, GU, false);
      sgemm(e, true, false, U, U, BT, rhd, U, dZx + 2 * U, GU, out.d_rec + 2 * U, GU, false);
    }
  } else if (ra) {
    sgemm(e, true, false, U, GU, BT, hd_all, U, dZr, GU, out.d_rec, GU, false);
  } else {
    sgemm_panels(e, U, hd_all, 1, U, dz_panels, out.d_rec, GU, false);  // dR = Hd^T·dZ
  }
  if (out.d_bias) {
    std::memset(out.d_bias, 0, static_cast<size_t>(GU) * (ra ? 2 : 1) * sizeof(float));
    isa->add_colsums(BT, GU, dZx, GU, out.d_bias);
    if (ra) isa->add_colsums(BT, GU, dZr, GU, out.d_bias + GU);
  }
  if (!out.dx) return;  // the caller does not need the gradient of x
  sgemm(e, false, true, BT, F, GU, dZx, GU, p.kernel, GU, out.dx, F, false);
  if (p.in_drop)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < T; ++t) {
        float* row = out.dx + (b * T + t) * F;
        isa->mul(F, row, p.in_drop + b * F, row);
      }
}

}  // namespace rk
