// One timestep of a block of units [u0, u0 + n) of a recurrent cell: the products and row functions
// that the whole-sequence forward (rnn_forward.cc) and the one-step entry (rnn_step.cc) share, so
// that a step gives the forward's bits.
//
// The recurrent product of a few batch rows is one matrix-vector pass for all of them (gemv_strips: each
// weight row read once, in order, across every gate of the block, each vector loaded once for several
// rows); every sum adds its terms in row order with one fused multiply-add each, from zero, as the
// micro-kernel tiles of the larger batches do, so a block's sums are the whole row's whatever the block
// and whichever rows are computed with it.
#pragma once
#include <cstdint>

#include "rnn.h"

namespace rk {

struct CellBlock {
  const IsaTable* isa;
  Cell cell;
  int act, ract;
  bool reset_after;
  int64_t U;
  const float* rec;   // [U, G*U]
  const float* bias;  // [G*U], [2, 3U] for GRU reset_after, or null

  int64_t GU() const { return gate_count(cell) * U; }
  // GRU with reset_after=false: its candidate's product needs r*h of every unit (a second phase).
  bool two_phases() const { return cell == CELL_GRU && !reset_after; }
  // The gates whose recurrent product the first phase makes.
  int64_t first_phase_gates() const { return two_phases() ? 2 : gate_count(cell); }

  // Rows b < B: zr[b*ldz + g*U + u0 + j] = a_b · W[:, g*U + u0 + j] for the gates g in [g0, g1) and
  // j < n, where a_b = a + b*k is a row of k values and W is [k, G*U] (the kernel, for an input
  // projection made step by step, or the recurrent kernel with k = U).
  void products(int64_t B, int64_t k, const float* a, const float* W, int64_t g0, int64_t g1, int64_t u0, int64_t n,
                float* zr, int64_t ldz) const;

  // The step of one batch row for units [u0, u0 + n), every pointer at unit u0 of its row:
  //   a      the input projection (gate blocks U apart), overwritten with the activated gates
  //   zr     the recurrent products (gate blocks U apart)
  //   hp     the state entering the step; hd the same after recurrent dropout (hp when none)
  //   c      LSTM: the cell state, updated in place
  //   inner  GRU reset_after: receives h·R_h + b_rec,h
  //   rh     GRU reset_after=false: receives r * hd, and h_new is not written (see finish_candidate)
  void update_row(int64_t u0, int64_t n, float* a, const float* zr, const float* hp, const float* hd, float* c,
                  float* inner, float* rh, float* h_new) const;
  // GRU reset_after=false, second phase: the candidate from zr_h = (r*hd)·R_h (at unit u0), the new state.
  void finish_candidate(int64_t u0, int64_t n, float* a, const float* zr_h, const float* hp, float* h_new) const;

 private:
  const float* bias_at(int64_t offset, int64_t u0) const { return bias ? bias + offset + u0 : nullptr; }
};

}  // namespace rk
