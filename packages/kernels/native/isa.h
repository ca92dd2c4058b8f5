// One table of function pointers per instruction set (scalar, AVX2+FMA, AVX-512). The recurrent
// drivers and the GEMM driver only call through a table, so the instruction set is chosen at run
// time and prebuilt binaries run on any x86-64 (or other) CPU.
#pragma once
#include <stdint.h>

namespace rk {

// Activation codes shared with the N-API layer (names as Keras spells them).
enum Act : int {
  ACT_TANH = 0,
  ACT_SIGMOID = 1,
  ACT_HARD_SIGMOID = 2,         // Keras 3: clip(x/6 + 0.5, 0, 1)
  ACT_HARD_SIGMOID_LEGACY = 3,  // Keras 2 / tfjs: clip(0.2x + 0.5, 0, 1)
  ACT_RELU = 4,
  ACT_LINEAR = 5,
};

// Row functions work on `n` consecutive units of one batch row. Gate blocks of a row are `gs`
// floats apart (gs = units), so a pointer to unit u0 of gate 0 reaches gate g at + g*gs.
struct IsaTable {
  const char* name;
  int mr;  // rows of the micro-kernel tile
  int nr;  // columns of the micro-kernel tile = width of a packed B panel
  // Batch rows whose matrix-vector products share each weight vector loaded (gemv_strips): up to this
  // many rows of a product, they are faster than the micro-kernel's tiles.
  int gemv_rows;

  // C[mr x nr] (=|+=) A[mr x kc] * B[kc x nr]. Element (r, p) of A is A[r*a_rs + p*a_cs], so a
  // transposed A needs no copy. B has row stride ldb and must be readable for all nr columns of kc
  // rows; only the first `nvalid` columns of C are written.
  void (*tile)(int mr, int64_t kc, const float* A, int64_t a_rs, int64_t a_cs, const float* B, int64_t ldb,
               float* C, int64_t ldc, int nvalid, int accumulate);

  // One row times a row-major matrix: c[0:n] (=|+=) sum_p a[p*a_cs] * B[p*ldb + 0:n]. Streams each
  // row of B in wide contiguous chunks (for batch 1, where panels would be read 32 columns at a time).
  void (*gemv)(int64_t k, const float* a, int64_t a_cs, const float* B, int64_t ldb, int64_t n, float* c,
               int accumulate);
  // gemv of `rows` rows of a (row stride lda) into `strips` column strips at once:
  //   c[r*ldc + s*stride + 0:n] = sum_p a[r*lda + p] * B[p*ldb + s*stride + 0:n],
  // each weight vector loaded once for several rows. The sums are gemv's.
  void (*gemv_strips)(int64_t rows, int64_t k, const float* a, int64_t lda, const float* B, int64_t ldb, int64_t strips,
                      int64_t stride, int64_t n, float* c, int64_t ldc);

  // Forward. `a` holds the input projection on entry and the activated gates on exit.
  void (*simple_fwd)(int64_t n, int act, float* a, const float* zr, const float* bias, float* h_out);
  void (*lstm_fwd)(int64_t n, int64_t gs, int act, int ract, float* a, const float* zr, const float* bias,
                   const float* c_prev, float* c_out, float* h_out);
  void (*gru_ra_fwd)(int64_t n, int64_t gs, int act, int ract, float* a, const float* zr, const float* b_in,
                     const float* b_rec, const float* h_prev, float* inner_h_out, float* h_out);
  // reset_after=false, phase 1: gates z and r, and rh = r * (dropped h_prev).
  void (*gru_rb_fwd1)(int64_t n, int64_t gs, int ract, float* a, const float* zr, const float* bias,
                      const float* hd, float* rh_out);
  // phase 2: candidate from the product (r*hd)·R_h, and the new state.
  void (*gru_rb_fwd2)(int64_t n, int64_t gs, int act, float* a, const float* zr_h, const float* bias_h,
                      const float* h_prev, float* h_out);

  // Backward (dh = total gradient reaching the new state). dz receives gradients wrt the gate
  // pre-activations, in the gate layout of `a`.
  void (*simple_bwd)(int64_t n, int act, const float* a, const float* dh, float* dz);
  void (*lstm_bwd)(int64_t n, int64_t gs, int act, int ract, const float* a, const float* c_prev,
                   const float* dh, float* dc, float* dz);  // dc: carry in, gradient wrt c_prev out
  void (*gru_ra_bwd)(int64_t n, int64_t gs, int act, int ract, const float* a, const float* inner_h,
                     const float* h_prev, const float* dh, float* dzx, float* dzr, float* dh_direct);
  // reset_after=false, phase 1: dz for gates z and h, and the direct term dh*z.
  void (*gru_rb_bwd1)(int64_t n, int64_t gs, int act, int ract, const float* a, const float* h_prev,
                      const float* dh, float* dz, float* dh_direct);
  // phase 2: from d(r*hd) to dz_r and the part of d(hd) that goes through r*hd.
  void (*gru_rb_bwd2)(int64_t n, int ract, const float* r, const float* hd, const float* drh, float* dz_r,
                      float* dhd_part);

  // C[rows x cols] = A·B rounded as tfjs's 'cpu' BatchMatMul rounds (isa_tfjs_gemm.inc); A in float64
  // (row stride lda), B row-major floats (row stride ldb), readable (zero-padded) up to a multiple of 16 columns.
  void (*tfjs_gemm)(int64_t rows, int64_t cols, int64_t k, const double* A, int64_t lda, const float* B, int64_t ldb,
                    float* C, int64_t ldc);

  void (*add_colsums)(int64_t rows, int64_t cols, const float* src, int64_t lds, float* dst);
  // Backward: total = (dh + dout) + carry (dout null: + 0), carry = 0, unit_sums += total * total.
  void (*state_total)(int64_t n, const float* dh, const float* dout, float* carry, float* total, float* unit_sums);
  void (*mul)(int64_t n, const float* a, const float* b, float* out);  // out = a*b
  // The softmax of each row of `width` values (count a multiple of width), the TypeScript loop's bits
  // (softmax_rows.inc); out may be values.
  void (*softmax_rows)(const float* values, int64_t count, int64_t width, float* out);
};

// Every entry set (each set fills its table by field name; a forgotten one fails to compile).
constexpr bool table_complete(const IsaTable& t) {
  return t.name && t.mr > 0 && t.nr > 0 && t.gemv_rows > 0 && t.tile && t.gemv && t.gemv_strips && t.simple_fwd && t.lstm_fwd && t.gru_ra_fwd &&
         t.gru_rb_fwd1 && t.gru_rb_fwd2 && t.simple_bwd && t.lstm_bwd && t.gru_ra_bwd && t.gru_rb_bwd1 && t.gru_rb_bwd2 &&
         t.tfjs_gemm && t.add_colsums && t.state_total && t.mul && t.softmax_rows;
}

const IsaTable* isa_scalar();
const IsaTable* isa_avx2();    // nullptr when not compiled for this architecture
const IsaTable* isa_avx512();  // nullptr when not compiled for this architecture

}  // namespace rk
