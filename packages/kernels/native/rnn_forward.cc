// Forward pass over the whole sequence.
//
// 1. One GEMM projects every timestep's input at once: gates = (x*in_drop)·K, written straight
//    into the workspace, where each step later overwrites its rows with the activated gates.
// 2. The recurrent weights are packed once (per gate, in panels of nr columns).
// 3. The time loop is a sequence of phases, one per step: a task per block of nr units computes,
//    for all batch rows, the recurrent product of every gate for those units and then the cell's
//    elementwise update. A step's tasks need the whole previous state, hence a phase per step. GRU
//    with reset_after=false needs r*h of all units before its candidate product: two phases.
#include <algorithm>
#include <cstring>

#include "gemm.h"
#include "profile.h"
#include "rnn.h"
#include "task_phases.h"

namespace rk {

// Packing pays for itself when a panel is reused: over several steps or many batch rows. A batch
// of one or two runs matrix-vector products over the weights as they are instead.
static bool pack_recurrent(const RnnProblem& p) { return p.B > 2 && (p.T >= 4 || p.B > 8); }

void rnn_forward(const ComputeContext& e, const RnnProblem& p, const ForwardOutputs& out) {
  const int64_t B = p.B, T = p.T, F = p.F, U = p.U, G = p.G(), GU = G * U;
  const IsaTable* isa = e.isa;
  WorkspaceLayout L;
  workspace_layout(p.cell, B, T, U, p.reset_after, &L);
  float* gates = out.ws + L.gates;
  float* hprev_ws = out.ws + L.hprev;
  float* cprev_ws = L.cprev >= 0 ? out.ws + L.cprev : nullptr;
  float* inner_ws = L.inner >= 0 ? out.ws + L.inner : nullptr;
  const bool ra = p.gru_reset_after(), rb = p.gru_reset_before();

  {
    RK_PHASE(proj, "fwd input projection");
    sgemm(e, false, false, B * T, GU, F, dropped_inputs(e, p), F, p.kernel, GU, gates, GU, false);
  }

  const size_t BU = static_cast<size_t>(B * U);
  float* H[2] = {e.scratch->floats(BU), e.scratch->floats(BU)};
  if (p.h0) std::memcpy(H[0], p.h0, BU * sizeof(float));
  else std::memset(H[0], 0, BU * sizeof(float));
  float* Hd[2] = {H[0], H[1]};  // the state as it enters the recurrent product
  if (p.rec_drop) {
    Hd[0] = e.scratch->floats(BU);
    Hd[1] = e.scratch->floats(BU);
    isa->mul(static_cast<int64_t>(BU), H[0], p.rec_drop, Hd[0]);
  }
  float* C = nullptr;
  if (p.cell == CELL_LSTM) {
    C = e.scratch->floats(BU);
    if (p.c0) std::memcpy(C, p.c0, BU * sizeof(float));
    else std::memset(C, 0, BU * sizeof(float));
  }
  float* Zr = e.scratch->floats(static_cast<size_t>(B * GU));  // recurrent product of one step
  float* RH = rb ? e.scratch->floats(BU) : nullptr;            // r * hd (GRU reset_after=false)

  BPanels Rg[4];
  const bool packed = pack_recurrent(p);
  {
    RK_PHASE(pack, "fwd pack R");
    for (int64_t g = 0; g < G; ++g)
      Rg[g] = packed ? pack_b(e, false, U, U, p.rec + g * U, GU) : direct_b(e, U, U, p.rec + g * U, GU);
  }

  const float* bias = p.bias;
  const StepPlan plan = plan_steps(e, p, packed);
  // Recurrent product of gate g for this task's units: A (B x U, row stride U) times R's columns.
  auto recurrent_product = [&](int64_t g, const float* A, int64_t block, int64_t u0, int64_t n) {
    if (plan.gemv) {
      for (int64_t b = 0; b < B; ++b)
        isa->gemv(U, A + b * U, 1, p.rec + g * U + u0, GU, n, Zr + b * GU + g * U + u0, 0);
    } else {
      gemm_panels(isa, B, 0, U, A, U, 1, Rg[g], plan.first_panel(block), plan.end_panel(block, U), Zr + g * U, GU,
                  false);
    }
  };
  const int64_t per_step = rb ? 2 : 1;
  const int64_t* offsets = uniform_phase_offsets(e, T * per_step, plan.unit_blocks);

  auto task = [&](int, int64_t phase, int64_t block) {
    const int64_t s = phase / per_step, sub = phase % per_step;
    const int64_t t = p.go_backwards ? T - 1 - s : s;
    const int64_t u0 = plan.first_unit(block), n = std::min(U, u0 + plan.width) - u0;
    const size_t nbytes = static_cast<size_t>(n) * sizeof(float);
    const int cur = static_cast<int>(s & 1);
    const float* hp = H[cur];
    float* hn = H[cur ^ 1];
    const float* hdp = Hd[cur];
    float* hdn = Hd[cur ^ 1];
    auto bias_at = [&](int64_t offset) -> const float* { return bias ? bias + offset + u0 : nullptr; };

    if (sub == 0) {
      const int64_t t_next = p.go_backwards ? t - 1 : t + 1;  // the step processed after this one
      const bool prefetch = s + 1 < T;
      for (int64_t b = 0; b < B; ++b) {
        const int64_t row = b * T + t;
        if (prefetch)
          for (int64_t g = 0; g < G; ++g) prefetch_floats(gates + (b * T + t_next) * GU + g * U + u0, n);
        std::memcpy(hprev_ws + row * U + u0, hp + b * U + u0, nbytes);
        if (cprev_ws) std::memcpy(cprev_ws + row * U + u0, C + b * U + u0, nbytes);
      }
      RK_PHASE(step_gemm, "fwd step gemm");
      for (int64_t g = 0; g < (rb ? 2 : G); ++g) recurrent_product(g, hdp, block, u0, n);
      if (rb) {  // gates z and r, and r * hd for the candidate's product in the next phase
        for (int64_t b = 0; b < B; ++b)
          isa->gru_rb_fwd1(n, U, p.ract, gates + (b * T + t) * GU + u0, Zr + b * GU + u0, bias_at(0),
                           hdp + b * U + u0, RH + b * U + u0);
        return;
      }
    } else {
      RK_PHASE(step_gemm2, "fwd step gemm");
      recurrent_product(2, RH, block, u0, n);
    }

    RK_PHASE(step_elem, "fwd step elementwise");
    for (int64_t b = 0; b < B; ++b) {
      const int64_t row = b * T + t;
      float* a = gates + row * GU + u0;
      const float* zr = Zr + b * GU + u0;
      float* h_new = hn + b * U + u0;
      float* o = out.outputs + (b * T + s) * U + u0;
      if (p.valid(b, t)) {
        switch (p.cell) {
          case CELL_SIMPLE_RNN: isa->simple_fwd(n, p.act, a, zr, bias_at(0), h_new); break;
          case CELL_LSTM: {
            float* c = C + b * U + u0;
            isa->lstm_fwd(n, U, p.act, p.ract, a, zr, bias_at(0), c, c, h_new);
            break;
          }
          case CELL_GRU:
            if (ra) {
              isa->gru_ra_fwd(n, U, p.act, p.ract, a, zr, bias_at(0), bias_at(GU), hp + b * U + u0,
                              inner_ws + row * U + u0, h_new);
            } else {
              isa->gru_rb_fwd2(n, U, p.act, a, zr + 2 * U, bias_at(2 * U), hp + b * U + u0, h_new);
            }
            break;
        }
        std::memcpy(o, h_new, nbytes);
      } else {  // masked: keep the state; repeat the previous output (zero before any) or emit zero
        std::memcpy(h_new, hp + b * U + u0, nbytes);
        if (inner_ws) std::memset(inner_ws + row * U + u0, 0, nbytes);  // never read; keep it defined
        if (p.zero_output_for_mask || s == 0) std::memset(o, 0, nbytes);
        else std::memcpy(o, o - U, nbytes);
      }
      if (p.rec_drop) isa->mul(n, h_new, p.rec_drop + b * U + u0, hdn + b * U + u0);
    }
  };
  {
    RK_PHASE(loop, "fwd time loop");
    PhaseRunner(T * per_step, offsets).run(e, plan.threads, task);
  }

  std::memcpy(out.h, H[T & 1], BU * sizeof(float));
  if (out.c && C) std::memcpy(out.c, C, BU * sizeof(float));
}

}  // namespace rk
