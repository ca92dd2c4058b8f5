#include "rnn_block.h"

namespace rk {

void CellBlock::products(int64_t B, int64_t k, const float* a, const float* W, int64_t g0, int64_t g1, int64_t u0, int64_t n,
                         float* zr, int64_t ldz) const {
  const int64_t gu = GU();
  // A block of every unit: the gates' columns are adjacent, one strip reads whole rows (and no other
  // thread writes beside them: one row needs no buffer).
  if (n == U && B == 1) isa->gemv(k, a, 1, W + g0 * U, gu, (g1 - g0) * U, zr + g0 * U, 0);
  else if (n == U) isa->gemv_strips(B, k, a, k, W + g0 * U, gu, 1, 0, (g1 - g0) * U, zr + g0 * U, ldz);
  else isa->gemv_strips(B, k, a, k, W + g0 * U + u0, gu, g1 - g0, U, n, zr + g0 * U + u0, ldz);
}

void CellBlock::update_row(int64_t u0, int64_t n, float* a, const float* zr, const float* hp, const float* hd, float* c,
                           float* inner, float* rh, float* h_new) const {
  switch (cell) {
    case CELL_SIMPLE_RNN: isa->simple_fwd(n, act, a, zr, bias_at(0, u0), h_new); break;
    case CELL_LSTM: isa->lstm_fwd(n, U, act, ract, a, zr, bias_at(0, u0), c, c, h_new); break;
    case CELL_GRU:
      if (reset_after) isa->gru_ra_fwd(n, U, act, ract, a, zr, bias_at(0, u0), bias_at(GU(), u0), hp, inner, h_new);
      else isa->gru_rb_fwd1(n, U, ract, a, zr, bias_at(0, u0), hd, rh);
      break;
  }
}

void CellBlock::finish_candidate(int64_t u0, int64_t n, float* a, const float* zr_h, const float* hp, float* h_new) const {
  isa->gru_rb_fwd2(n, U, act, a, zr_h, bias_at(2 * U, u0), hp, h_new);
}

}  // namespace rk
