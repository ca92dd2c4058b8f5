// Forward pass over the whole sequence.
//
// 1. GEMM projects the inputs: gates = (x*in_drop)·K. In training all timesteps at once, straight
//    into the workspace, where each step later overwrites its rows with the activated gates. In
//    inference (no workspace) a chunk of steps at a time into scratch, so that memory does not grow
//    with the sequence length; nothing else is recorded per step either.
// 2. The recurrent weights are packed once (per gate, in panels of nr columns), or read in place.
// 3. The time loop is a sequence of phases, one per step: a task per block of nr units computes,
//    for all batch rows, the recurrent product of every gate for those units and then the cell's
//    elementwise update. A step's tasks need the whole previous state, hence a phase per step. GRU
//    with reset_after=false needs r*h of all units before its candidate product: two phases.
// 4. Without return_sequences only the last step's output is written, once the loop is done.
//
// A threaded loop of a larger batch whose recurrent weights fit in a core's cache is split by batch rows
// instead (row_blocks_for): each thread runs a range of rows through every step of the chunk, all units,
// the ranges rebalanced while they run (RowRanges), and the threads meet once per chunk. A row's sums are
// the same whichever rows share its products.
//
// A threaded loop of a small batch (kOwnedBlocksMaxBatch rows) runs on OwnedBlocks instead: one block
// of units per thread for the whole sequence. Its phase 0 does steps 1 and 2 for the block's own
// columns on the block's own thread, so they sit in that core's cache, and its threads meet once per
// step at a cheaper rendezvous than PhaseRunner's. The products add the same terms in the same order.
#include <algorithm>
#include <cstring>

#include "gemm.h"
#include "owned_blocks.h"
#include "profile.h"
#include "rnn.h"
#include "rnn_block.h"
#include "row_ranges.h"
#include "sparse_rows.h"
#include "step_weights.h"
#include "task_phases.h"

namespace rk {
namespace {

// Projected gates kept at once in inference: a chunk of steps of about this many bytes.
const int64_t kChunkBytes = int64_t(4) << 20;

// Panels of a k x n matrix with room for the packed copy, filled later (pack_b_panels).
BPanels unfilled_panels(const ComputeContext& e, int64_t k, int64_t n) {
  BPanels b;
  b.nr = e.isa->nr;
  b.k = k;
  b.n = n;
  b.panels = (n + b.nr - 1) / b.nr;
  b.packed = e.scratch->floats(static_cast<size_t>(b.panels * k * b.nr));
  return b;
}

// The plan's threads each own one block of whole panels (the matrix-vector plan already does).
StepPlan one_block_per_thread(StepPlan s, int64_t U) {
  s.width = one_block_width(s.nr, U, s.threads);
  s.unit_blocks = (U + s.width - 1) / s.width;
  return s;
}

// Where the gates of (batch row b, time t) are: the workspace, rows [B][T], in training; the chunk
// being processed, rows [t - t0][B], in inference.
struct GateRows {
  float* base = nullptr;
  int64_t b_stride = 0, t_stride = 0, t0 = 0, width = 0;
  float* row(int64_t b, int64_t t) const { return base + (b * b_stride + (t - t0) * t_stride) * width; }
};

class ForwardPass : private ProblemSizes {
 public:
  ForwardPass(const ComputeContext& e, const RnnProblem& p, const ForwardOutputs& out);
  void run();

 private:
  void prepare_recurrent_weights(BAccess access);
  void project_all_steps();
  void project_chunk(int64_t s0, int64_t s1);
  void prepare_block(int64_t block, int64_t s0, int64_t s1);
  void step_task(int64_t s, int64_t sub, const StepSlice& slice);
  void recurrent_products(int64_t g0, int64_t g1, const float* A, const StepSlice& slice);
  void write_last_outputs(const float* h_final);

  const ComputeContext& e_;
  const RnnProblem& p_;
  const ForwardOutputs& out_;
  const IsaTable* isa_;
  const CellBlock block_;
  const bool record_;  // training: keep what the backward needs in the workspace
  const int64_t per_step_;
  float* hprev_ws_ = nullptr;  // [B*T, U] states entering each step (record only)
  float* cprev_ws_ = nullptr;
  float* inner_ = nullptr;  // GRU reset_after: [B*T, U] when recording, else [B, U] for the current step
  GateRows gates_;
  int64_t chunk_steps_;
  int64_t chunk_end_ = 0;  // steps of the chunk in progress end here
  const float* xd_ = nullptr;
  BPanels kernel_panels_;  // K packed for the chunked projection
  float* H_[2];
  float* Hd_[2];  // the state as it enters the recurrent product
  float* C_ = nullptr;
  float* Zr_;            // recurrent product of one step
  float* RH_ = nullptr;  // r * hd (GRU reset_after=false)
  BPanels Rg_[4];
  BAccess kernel_access_ = BAccess::kPacked;  // owned blocks, dense inputs: how the projection reads K...
  BPanels Kg_[4];                              // ... and each gate's panels of K, unless matrix-vector
  SparseRows sparse_x_;      // owned blocks, whole sequence: the nonzeros of x when few (rows = 0: dense)
  float* rec_blocks_ = nullptr;  // owned matrix-vector blocks: each block's columns of R, row after row
  const PackedStepWeights* packed_rec_ = nullptr;  // ... the same rows packed before the call (p.packed)
  float* zr_blocks_ = nullptr;   // ... and the products of the batch rows in that order
  StepPlan plan_;
  bool owned_ = false;  // the time loop runs on OwnedBlocks, one block per thread
  int64_t row_blocks_ = 0;  // > 0: the time loop runs by batch rows, from that many ranges (RowRanges)
};

ForwardPass::ForwardPass(const ComputeContext& e, const RnnProblem& p, const ForwardOutputs& out)
    : ProblemSizes(p),
      e_(e),
      p_(p),
      out_(out),
      isa_(e.isa),
      block_{e.isa, p.cell, p.act, p.ract, p.reset_after, p.U, p.rec, p.bias},
      record_(out.ws != nullptr),
      per_step_(p.gru_reset_before() ? 2 : 1) {
  const size_t BU = static_cast<size_t>(B * U);
  xd_ = dropped_inputs(e, p);
  const int64_t step_bytes = B * GU * static_cast<int64_t>(sizeof(float));
  chunk_steps_ = record_ || step_bytes == 0 ? T : std::max<int64_t>(1, std::min<int64_t>(T, kChunkBytes / step_bytes));
  if (record_) {
    WorkspaceLayout L;
    workspace_layout(p.cell, B, T, U, p.reset_after, &L);
    gates_ = GateRows{out.ws + L.gates, T, 1, 0, GU};
    hprev_ws_ = out.ws + L.hprev;
    cprev_ws_ = L.cprev >= 0 ? out.ws + L.cprev : nullptr;
    inner_ = L.inner >= 0 ? out.ws + L.inner : nullptr;
  } else {
    inner_ = ra ? e.scratch->floats(BU) : nullptr;
  }
  H_[0] = e.scratch->floats(BU);
  H_[1] = e.scratch->floats(BU);
  if (p.h0) std::memcpy(H_[0], p.h0, BU * sizeof(float));
  else std::memset(H_[0], 0, BU * sizeof(float));
  Hd_[0] = H_[0];
  Hd_[1] = H_[1];
  if (p.rec_drop) {
    Hd_[0] = e.scratch->floats(BU);
    Hd_[1] = e.scratch->floats(BU);
    isa_->mul(static_cast<int64_t>(BU), H_[0], p.rec_drop, Hd_[0]);
  }
  if (p.cell == CELL_LSTM) {
    C_ = e.scratch->floats(BU);
    if (p.c0) std::memcpy(C_, p.c0, BU * sizeof(float));
    else std::memset(C_, 0, BU * sizeof(float));
  }
  Zr_ = e.scratch->floats(static_cast<size_t>(B * GU));
  if (rb) RH_ = e.scratch->floats(BU);

  const BAccess access = choose_b_access(isa_, B, T);
  const bool small_batch = B <= kOwnedBlocksMaxBatch;
  plan_ = plan_steps(e, p, access, small_batch);
  owned_ = plan_.threads > 1 && small_batch;
  if (owned_) plan_ = one_block_per_thread(plan_, U);
  row_blocks_ = row_blocks_for(e, p);
  if (chunk_steps_ == T) {  // the whole sequence at once
    if (!record_) gates_ = GateRows{e.scratch->floats(static_cast<size_t>(B * T * GU)), T, 1, 0, GU};
    if (!owned_) project_all_steps();
    else if (!(find_sparse_rows(e, B * T, F, xd_, &sparse_x_) && all_finite(F * GU, p.kernel))) sparse_x_.rows = 0;
  } else {
    gates_ = GateRows{e.scratch->floats(static_cast<size_t>(chunk_steps_ * B * GU)), 1, B, 0, GU};
    if (!owned_) kernel_panels_ = pack_b(e, false, p.F, GU, p.kernel, GU);
  }
  if (owned_ && sparse_x_.rows == 0) {  // the projection's products read K as a product of that many rows would
    const int64_t rows = chunk_steps_ == T ? B * T : chunk_steps_;
    kernel_access_ = choose_b_access(isa_, rows, 1);
    if (chunk_steps_ < T && kernel_access_ == BAccess::kGemv) kernel_access_ = BAccess::kDirect;  // products per row
    for (int64_t g = 0; g < G && kernel_access_ != BAccess::kGemv; ++g)  // packed by each block in phase 0
      Kg_[g] = kernel_access_ == BAccess::kPacked ? unfilled_panels(e, F, U) : direct_b(e, F, U, p.kernel + g * U, GU);
  }
  prepare_recurrent_weights(access);
}

// The recurrent weights as the step's products read them. The time loop with owned blocks lets each
// block pack its own columns (phase 0), into its core's cache: a block's rows one after the other for
// a matrix-vector product, or its panels. Rows packed before the call for a step (p.packed) serve
// when their blocks are this plan's: a call then reads R once, not three times (copying it read and
// wrote it; at batch 1 that was a fifth of an LSTM(256) call).
void ForwardPass::prepare_recurrent_weights(BAccess access) {
  RK_PHASE(pack, "fwd pack R");
  if (owned_ && plan_.gemv && T >= kPackedRowsMinSteps) {
    const PackedStepWeights* w = p_.packed;
    if (w && w->width == plan_.width && w->blocks == plan_.unit_blocks) packed_rec_ = w;  // the same blocks
    else rec_blocks_ = e_.scratch->floats(static_cast<size_t>(U * G * plan_.width) * static_cast<size_t>(plan_.unit_blocks));
    zr_blocks_ = e_.scratch->floats(static_cast<size_t>(B * G * plan_.width * plan_.unit_blocks));
    return;
  }
  for (int64_t g = 0; g < G; ++g) {
    if (access != BAccess::kPacked) Rg_[g] = direct_b(e_, U, U, p_.rec + g * U, GU);
    else if (!owned_) Rg_[g] = pack_b(e_, false, U, U, p_.rec + g * U, GU);
    else Rg_[g] = unfilled_panels(e_, U, U);
  }
}

// Projects the inputs of all steps at once, rows [B*T] of gates: from the list of nonzeros of x when
// it is sparse enough (one-hot text), else one GEMM.
void ForwardPass::project_all_steps() {
  RK_PHASE(proj, "fwd input projection");
  SparseRows sparse;
  if (find_sparse_rows(e_, B * T, F, xd_, &sparse) && all_finite(F * GU, p_.kernel)) {
    sparse_rows_product(e_, sparse, p_.kernel, GU, GU, gates_.base, GU);
    return;
  }
  sgemm(e_, false, false, B * T, GU, F, xd_, F, p_.kernel, GU, gates_.base, GU, false);
}

// Projects the inputs of processing steps [s0, s1) into the chunk: one product per time index
// (B rows, strided through x) or per batch row (the chunk's time indices, contiguous in x),
// whichever makes fewer products.
void ForwardPass::project_chunk(int64_t s0, int64_t s1) {
  RK_PHASE(proj, "fwd input projection");
  const int64_t steps = s1 - s0;
  const int64_t t0 = p_.go_backwards ? T - s1 : s0;
  gates_.t0 = t0;
  if (B <= steps) {
    for (int64_t b = 0; b < B; ++b)
      sgemm_panels(e_, steps, xd_ + (b * T + t0) * F, F, 1, kernel_panels_, gates_.row(b, t0), B * GU, false);
  } else {
    for (int64_t t = t0; t < t0 + steps; ++t)
      sgemm_panels(e_, B, xd_ + t * F, T * F, 1, kernel_panels_, gates_.row(0, t), GU, false);
  }
}

// Phase 0 of a chunk of the owned time loop: the block packs its columns of the recurrent weights and
// its panels of K (first chunk), then projects the chunk's inputs onto its columns of every gate, the
// columns its steps read. The sums are those of the whole products (project_all_steps, project_chunk).
void ForwardPass::prepare_block(int64_t block, int64_t s0, int64_t s1) {
  const int64_t u0 = plan_.first_unit(block), n = std::min(U, u0 + plan_.width) - u0;
  const int64_t j0 = plan_.first_panel(block), j1 = plan_.end_panel(block, U);
  if (s0 == 0 && rec_blocks_) {
    float* dst = rec_blocks_ + block * U * G * plan_.width;
    for (int64_t r = 0; r < U; ++r)
      for (int64_t g = 0; g < G; ++g)
        std::memcpy(dst + (r * G + g) * n, p_.rec + r * GU + g * U + u0, static_cast<size_t>(n) * sizeof(float));
  } else if (s0 == 0 && Rg_[0].packed) {
    for (int64_t g = 0; g < G; ++g)  // the panels were allocated for this (unfilled_panels)
      pack_b_panels(false, U, U, p_.rec + g * U, GU, plan_.nr, j0, j1, const_cast<float*>(Rg_[g].packed));
  }
  if (s0 == 0 && Kg_[0].packed)
    for (int64_t g = 0; g < G; ++g)
      pack_b_panels(false, F, U, p_.kernel + g * U, GU, plan_.nr, j0, j1, const_cast<float*>(Kg_[g].packed));
  RK_PHASE(proj, "fwd input projection");
  if (sparse_x_.rows > 0) {
    for (int64_t r = 0; r < B * T; ++r)
      for (int64_t g = 0; g < G; ++g)
        sparse_row_product(isa_, sparse_x_, r, p_.kernel + g * U + u0, GU, n, gates_.base + r * GU + g * U + u0);
    return;
  }
  if (chunk_steps_ == T && kernel_access_ == BAccess::kGemv)  // one or two rows: K's rows streamed in order
    return block_.products(B * T, F, xd_, p_.kernel, 0, G, u0, n, gates_.base, GU);
  if (chunk_steps_ == T) {  // rows [B*T] of x and of the gates alike
    for (int64_t g = 0; g < G; ++g) gemm_panels(isa_, B * T, 0, F, xd_, F, 1, Kg_[g], j0, j1, gates_.base + g * U, GU, false);
    return;
  }
  const int64_t t0 = p_.go_backwards ? T - s1 : s0;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t g = 0; g < G; ++g)
      gemm_panels(isa_, s1 - s0, 0, F, xd_ + (b * T + t0) * F, F, 1, Kg_[g], j0, j1, gates_.row(b, t0) + g * U, B * GU,
                  false);
}

// Recurrent products of gates [g0, g1) for this task's units: A (B x U, row stride U) times R's columns.
void ForwardPass::recurrent_products(int64_t g0, int64_t g1, const float* A, const StepSlice& slice) {
  const int64_t block = slice.block, u0 = slice.u0, n = slice.n;
  // The other blocks' threads have just written A: asking for all its cache lines at once overlaps the
  // transfers between the cores, which the product would otherwise wait for one after the other.
  if (owned_) prefetch_floats(A, B * U);
  if (zr_blocks_) {  // the block's rows, packed: one product over them, then each gate's sums to its place
    const float* rows = packed_rec_ ? packed_rec_->rec_block(block) : rec_blocks_ + block * U * G * plan_.width;
    const int64_t lds = G * n;
    float* sums = zr_blocks_ + block * B * G * plan_.width;
    isa_->gemv_strips(B, U, A, U, rows + g0 * n, G * n, 1, 0, (g1 - g0) * n, sums, lds);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t g = g0; g < g1; ++g)
        std::memcpy(Zr_ + b * GU + g * U + u0, sums + b * lds + (g - g0) * n, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  const int64_t rows = slice.b1 - slice.b0;
  const float* a = A + slice.b0 * U;
  float* zr = Zr_ + slice.b0 * GU;
  if (plan_.gemv) return block_.products(rows, U, a, p_.rec, g0, g1, u0, n, zr, GU);
  for (int64_t g = g0; g < g1; ++g) gemm_panels(isa_, rows, 0, U, a, U, 1, Rg_[g], slice.j0, slice.j1, zr + g * U, GU, false);
}

void ForwardPass::step_task(int64_t s, int64_t sub, const StepSlice& slice) {
  const RnnProblem& p = p_;
  const int64_t t = p.time_at(s);
  const int64_t u0 = slice.u0, n = slice.n, b0 = slice.b0, b1 = slice.b1;
  const size_t nbytes = static_cast<size_t>(n) * sizeof(float);
  const int cur = static_cast<int>(s & 1);
  const float* hp = H_[cur];
  float* hn = H_[cur ^ 1];
  const float* hdp = Hd_[cur];
  float* hdn = Hd_[cur ^ 1];
  if (sub == 0) {
    const bool prefetch = s + 1 < chunk_end_;
    const int64_t t_next = p.time_at(s + 1);  // the step processed after this one
    for (int64_t b = b0; b < b1; ++b) {
      if (prefetch)
        for (int64_t g = 0; g < G; ++g) prefetch_floats(gates_.row(b, t_next) + g * U + u0, n);
      if (!record_) continue;
      const int64_t row = b * T + t;
      std::memcpy(hprev_ws_ + row * U + u0, hp + b * U + u0, nbytes);
      if (cprev_ws_) std::memcpy(cprev_ws_ + row * U + u0, C_ + b * U + u0, nbytes);
    }
    RK_PHASE(step_gemm, "fwd step gemm");
    recurrent_products(0, block_.first_phase_gates(), hdp, slice);
    if (rb) {  // gates z and r, and r * hd for the candidate's product in the next phase
      for (int64_t b = b0; b < b1; ++b)
        block_.update_row(u0, n, gates_.row(b, t) + u0, Zr_ + b * GU + u0, hp + b * U + u0, hdp + b * U + u0, nullptr,
                          nullptr, RH_ + b * U + u0, nullptr);
      return;
    }
  } else {
    RK_PHASE(step_gemm2, "fwd step gemm");
    recurrent_products(2, 3, RH_, slice);
  }

  RK_PHASE(step_elem, "fwd step elementwise");
  for (int64_t b = b0; b < b1; ++b) {
    float* a = gates_.row(b, t) + u0;
    const float* zr = Zr_ + b * GU + u0;
    float* h_new = hn + b * U + u0;
    float* inner = inner_ ? inner_ + (record_ ? b * T + t : b) * U + u0 : nullptr;
    float* o = p.return_sequences ? out_.outputs + (b * T + s) * U + u0 : nullptr;
    if (p.valid(b, t)) {
      if (rb) block_.finish_candidate(u0, n, a, zr + 2 * U, hp + b * U + u0, h_new);
      else block_.update_row(u0, n, a, zr, hp + b * U + u0, hdp + b * U + u0, C_ ? C_ + b * U + u0 : nullptr, inner,
                             nullptr, h_new);
      if (o) std::memcpy(o, h_new, nbytes);
    } else {  // masked: keep the state; repeat the previous output (zero before any) or emit zero
      std::memcpy(h_new, hp + b * U + u0, nbytes);
      if (inner && record_) std::memset(inner, 0, nbytes);  // never read; keep the workspace defined
      if (o) {
        if (p.zero_output_for_mask || s == 0) std::memset(o, 0, nbytes);
        else std::memcpy(o, o - U, nbytes);
      }
    }
    if (p.rec_drop) isa_->mul(n, h_new, p.rec_drop + b * U + u0, hdn + b * U + u0);
  }
}

// The output of the last step for each row: the final state when that step was valid, or when it
// repeats the last emitted output (the state is carried through masked steps); zero when the row
// emitted nothing yet, or with zero_output_for_mask at a masked last step.
void ForwardPass::write_last_outputs(const float* h_final) {
  const size_t nbytes = static_cast<size_t>(U) * sizeof(float);
  for (int64_t b = 0; b < B; ++b) {
    bool emits = T > 0 && p_.valid(b, p_.time_at(T - 1));
    for (int64_t t = 0; !emits && !p_.zero_output_for_mask && t < T; ++t) emits = p_.valid(b, t);
    float* o = out_.outputs + b * U;
    if (emits) std::memcpy(o, h_final + b * U, nbytes);
    else std::memset(o, 0, nbytes);
  }
}

void ForwardPass::run() {
  {
    RK_PHASE(loop, "fwd time loop");
    for (int64_t s0 = 0; s0 < T; s0 += chunk_steps_) {
      const int64_t s1 = std::min(T, s0 + chunk_steps_);
      chunk_end_ = s1;
      const int64_t phases = (s1 - s0) * per_step_;
      auto step = [&](int64_t phase, const StepSlice& slice) { step_task(s0 + phase / per_step_, phase % per_step_, slice); };
      if (row_blocks_ > 0) {  // each task: its rows through every step of the chunk (one meeting per chunk)
        if (chunk_steps_ < T) project_chunk(s0, s1);
        RowRanges(B, phases).run(e_, static_cast<int>(row_blocks_), [&](int, int64_t phase, int64_t b0, int64_t b1) {
          step(phase, plan_.row_slice(b0, b1, U));
        });
      } else if (owned_) {
        gates_.t0 = p_.go_backwards ? T - s1 : s0;
        OwnedBlocks(1 + phases).run(e_, static_cast<int>(plan_.unit_blocks), [&](int64_t phase, int64_t block) {
          if (phase == 0) prepare_block(block, s0, s1);
          else step(phase - 1, plan_.unit_slice(block, B, U));
        });
      } else {
        if (chunk_steps_ < T) project_chunk(s0, s1);
        PhaseRunner(UniformPhases{phases, plan_.unit_blocks}).run(e_, plan_.threads, [&](int, int64_t phase, int64_t block) {
          step(phase, plan_.unit_slice(block, B, U));
        });
      }
    }
  }
  const float* h_final = H_[T & 1];
  const size_t BU = static_cast<size_t>(B * U);
  if (!p_.return_sequences) write_last_outputs(h_final);
  if (out_.h) std::memcpy(out_.h, h_final, BU * sizeof(float));
  if (out_.c && C_) std::memcpy(out_.c, C_, BU * sizeof(float));
}

}  // namespace

void rnn_forward(const ComputeContext& e, const RnnProblem& p, const ForwardOutputs& out) {
  if (p.B == 0 || p.U == 0) return;  // every result is empty
  ForwardPass(e, p, out).run();
}

}  // namespace rk
