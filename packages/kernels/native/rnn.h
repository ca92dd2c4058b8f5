// The fused recurrent kernels: whole-sequence forward and backpropagation through time for
// SimpleRNN, LSTM and GRU, with Keras 3 semantics (see packages/kernels/src/spec.ts).
// All pointers are checked by the caller (napi_args.cc) to have the sizes described here.
#pragma once
#include <cstdint>

#include "compute_context.h"
#include "gemm.h"

namespace rk {

enum Cell : int { CELL_SIMPLE_RNN = 0, CELL_LSTM = 1, CELL_GRU = 2 };

inline int gate_count(Cell cell) { return cell == CELL_LSTM ? 4 : cell == CELL_GRU ? 3 : 1; }

struct PackedStepWeights;  // step_weights.h

struct RnnProblem {
  Cell cell;
  int64_t B, T, F, U;
  int act, ract;
  bool go_backwards, zero_output_for_mask, reset_after;
  // false: the caller wants only the output of the last processing step ([B, U]; Keras's last
  // output), so no [B, T, U] output is written, and the backward's output gradient is [B, U].
  bool return_sequences = true;
  const float* x;       // [B, T, F]
  const float* kernel;  // [F, G*U]
  const float* rec;     // [U, G*U]
  const float* bias;    // [G*U], [2, 3U] for GRU reset_after, or null
  const float* h0;      // [B, U] or null
  const float* c0;      // [B, U] or null (LSTM)
  const float* mask;    // [B, T] or null (nonzero = valid)
  const float* in_drop;   // [B, F] or null
  const float* rec_drop;  // [B, U] or null
  // kernel and rec packed by block for a step (step_weights.h), of this problem's cell, F and U; the
  // small-batch time loop reads its recurrent weights from there when it cuts the units alike, instead
  // of packing them itself at every call. Null: none.
  const PackedStepWeights* packed = nullptr;

  int64_t G() const { return gate_count(cell); }
  bool gru_reset_after() const { return cell == CELL_GRU && reset_after; }
  bool gru_reset_before() const { return cell == CELL_GRU && !reset_after; }
  bool valid(int64_t b, int64_t t) const { return !mask || mask[b * T + t] != 0.0f; }
  // The time index consumed at processing step s.
  int64_t time_at(int64_t s) const { return go_backwards ? T - 1 - s : s; }
};

// Workspace written by the forward pass and read by the backward pass. Rows are (b, t) in
// [B][T] order, t the time index of the input consumed:
//   gates  [B*T, G*U]  activated gates (LSTM i,f,c,o; GRU z,r,hh; SimpleRNN the new state)
//   hprev  [B*T, U]    the state entering the step (before recurrent dropout)
//   cprev  [B*T, U]    LSTM only: the cell state entering the step
//   inner  [B*T, U]    GRU reset_after only: (h_prev·R_h + b_rec_h), the term the reset gate scales
// The rows of one timestep lie T rows apart in the [batch, time]-major workspace, each in a page of
// its own, which the hardware prefetchers do not follow; the time loops ask for the next step's
// rows while they work on this one. `n` floats from p, one request per 64-byte line. Always
// inlined: GCC counts a prefetch as no side effect, so an out-of-line function made only of
// prefetches is deemed `const` and its calls are deleted.
[[gnu::always_inline]] inline void prefetch_floats(const float* p, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) __builtin_prefetch(p + i);
}
// The same for rows about to be written.
[[gnu::always_inline]] inline void prefetch_floats_for_write(float* p, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) __builtin_prefetch(p + i, 1);
}

// The sizes every pass over a problem works with.
struct ProblemSizes {
  int64_t B, T, F, U, G, GU;
  bool ra, rb;  // GRU with reset_after, GRU with reset_after=false
  explicit ProblemSizes(const RnnProblem& p)
      : B(p.B), T(p.T), F(p.F), U(p.U), G(p.G()), GU(p.G() * p.U), ra(p.gru_reset_after()), rb(p.gru_reset_before()) {}
};

struct WorkspaceLayout {
  int64_t gates = 0, hprev = 0, cprev = -1, inner = -1, total = 0;
};
// Returns false when the size does not fit in int64 floats.
bool workspace_layout(Cell cell, int64_t B, int64_t T, int64_t U, bool reset_after, WorkspaceLayout* out);

struct ForwardOutputs {
  float* outputs;  // [B, T, U] in processing order; [B, U] (the last step's) without return_sequences
  float* h;        // [B, U], or null: not wanted
  float* c;        // [B, U] (LSTM), or null
  float* ws;       // workspace_layout().total floats, or null: no backward will follow (inference), so
                   // nothing is recorded per step and the input projection is made a few steps at a time
};

struct BackwardInputs {
  const float* ws;
  const float* d_outputs;  // like ForwardOutputs::outputs, or null
  const float* d_h;        // [B, U] or null
  const float* d_c;        // [B, U] or null
};

struct BackwardOutputs {
  float* dx;        // [B, T, F], or null: not wanted
  float* d_kernel;  // [F, G*U]
  float* d_rec;     // [U, G*U]
  float* d_bias;    // like bias, or null
  float* d_h0;      // [B, U]
  float* d_c0;      // [B, U] or null
  float* dh_norms;  // [T]
};

// Batches up to this many rows run a threaded forward time loop as one block of units per thread for
// the whole sequence (rnn_forward.cc, owned_blocks.h).
constexpr int64_t kOwnedBlocksMaxBatch = 8;
// A matrix-vector time loop of at least this many steps has each block copy its columns of the
// recurrent weights into one contiguous array first (or read them so from RnnProblem::packed): the
// products then stream one array instead of G short runs of every weight row (about a fifth faster
// per step), for the price of about one step. Shorter sequences read R in place.
constexpr int64_t kPackedRowsMinSteps = 8;

void rnn_forward(const ComputeContext& e, const RnnProblem& p, const ForwardOutputs& out);
void rnn_backward(const ComputeContext& e, const RnnProblem& p, const BackwardInputs& in, const BackwardOutputs& out);

// The part of a step one task of a time loop computes: batch rows [b0, b1) for units [u0, u0 + n), panels
// [j0, j1) of the recurrent weights; `block` is the block of units, or -1 for a block of rows (every unit).
struct StepSlice {
  int64_t b0, b1, u0, n, j0, j1, block;
};

// The time loop is a sequence of phases (one or more per step); each phase is a task per block of
// nr units (one micro-kernel panel of every gate), handed to whichever thread is free.
// Units per block when `threads` threads each take one block of whole nr-wide panels of U units: the
// rule of the matrix-vector time loops and of the one-step call alike, so a step's packed rows
// (step_weights.h) serve the forward whenever both run on as many threads.
inline int64_t one_block_width(int64_t nr, int64_t U, int threads) {
  const int64_t panels = (U + nr - 1) / nr, per_block = (panels + threads - 1) / threads;
  return nr * (per_block > 1 ? per_block : 1);
}

struct StepPlan {
  int threads;
  int64_t unit_blocks;  // tasks per phase
  int64_t width;        // units per block: a multiple of nr
  int64_t nr;
  bool gemv;            // the recurrent weights are read by matrix-vector products (BAccess::kGemv)
  int64_t first_unit(int64_t block) const { return block * width; }
  int64_t first_panel(int64_t block) const { return block * width / nr; }
  int64_t end_panel(int64_t block, int64_t U) const {
    const int64_t end = (block + 1) * width < U ? (block + 1) * width : U;
    return (end + nr - 1) / nr;
  }
  // Block `block` of units, for all B batch rows.
  StepSlice unit_slice(int64_t block, int64_t B, int64_t U) const {
    const int64_t u0 = first_unit(block), end = u0 + width < U ? u0 + width : U;
    return StepSlice{0, B, u0, end - u0, first_panel(block), end_panel(block, U), block};
  }
  // Batch rows [b0, b1) (a range of RowRanges, row_blocks_for), every unit.
  StepSlice row_slice(int64_t b0, int64_t b1, int64_t U) const {
    return StepSlice{b0, b1, 0, U, 0, (U + nr - 1) / nr, -1};
  }
};
// Batch rows are independent through the whole time loop: with enough rows, each thread can run its own
// share of them through every step, and the threads meet once per call instead of once per step. Each
// thread then reads all of the recurrent weights every step, so this pays while they fit in one core's
// cache. Returns the number of row ranges to start with (one per thread; RowRanges rebalances them while
// the loop runs), or 0 when the loop is split by units instead.
// kRowBlocksMaxWeightBytes bounds the weights: 2 MB of L2 per core here, where LSTM(256)'s 1 MB ran
// 1.07-1.12x faster by rows (fastest calls of ten alternated runs) and LSTM(512)'s 4 MB no faster. A call
// needs the per-step parallel threshold in all (one meeting of the threads per call).
constexpr double kRowBlocksMaxWeightBytes = 1.5 * (1 << 20);
int64_t row_blocks_for(const ComputeContext& e, const RnnProblem& p);

// `recurrent` says how the step's products read the recurrent weights (choose_b_access); `owned_loop`:
// a threaded loop would run on OwnedBlocks (the forward of a batch up to kOwnedBlocksMaxBatch rows).
StepPlan plan_steps(const ComputeContext& e, const RnnProblem& p, BAccess recurrent, bool owned_loop);

// op(A) of the input projection, with the input dropout applied when there is one: [B*T, F].
const float* dropped_inputs(const ComputeContext& e, const RnnProblem& p);

}  // namespace rk
