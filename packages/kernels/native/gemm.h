// Single-precision matrix products on the micro-kernel of the selected instruction set.
//
// The B operand is cut into panels of `nr` columns. A packed panel stores its k rows contiguously
// (k x nr, zero-padded), which keeps a panel in L1 while the tiles of A stream past it. For a small
// number of rows of A, packing costs more than it saves, so a panel may also point straight into
// a row-major B (row stride ldb); only a final partial panel is then copied, since the micro-kernel
// reads whole panel rows.
#pragma once
#include <cstdint>

#include "compute_context.h"

namespace rk {

struct BPanels {
  int nr = 0;
  int64_t k = 0;
  int64_t n = 0;
  int64_t panels = 0;
  const float* packed = nullptr;  // packed mode: panel j at packed + j*k*nr, row stride nr
  const float* direct = nullptr;  // direct mode: panel j at direct + j*nr, row stride ldb...
  int64_t ldb = 0;
  const float* edge = nullptr;  // ...except a partial last panel, packed here

  // Panel j restricted to rows [k0, ...): pointer and row stride.
  // The panels covering columns [c0, c1) of B as a BPanels of their own (packed B, and c0 a
  // multiple of nr).
  BPanels columns(int64_t c0, int64_t c1) const {
    BPanels v = *this;
    v.packed = packed + (c0 / nr) * k * nr;
    v.n = c1 - c0;
    v.panels = (v.n + nr - 1) / nr;
    return v;
  }
  const float* panel(int64_t j, int64_t k0, int64_t* ld) const {
    if (packed || (edge && j == panels - 1)) {
      *ld = nr;
      const float* base = packed ? packed + j * k * nr : edge;
      return base + k0 * nr;
    }
    *ld = ldb;
    return direct + k0 * ldb + j * nr;
  }
  int valid_columns(int64_t j) const {
    int64_t rest = n - j * nr;
    return static_cast<int>(rest < nr ? rest : nr);
  }
};

// How the products with `rows` rows of A read a row-major B that `uses` products share (the steps of
// a recurrent layer read the same weights T times). The only place this is decided.
// A matrix-vector product is bound by reading B, not by arithmetic: it is worth splitting over the
// threads (each core streaming its share of B from its own cache) from this fraction of the work a
// matrix product needs.
constexpr double kGemvParallelShare = 1.0 / 8;

enum class BAccess {
  kGemv,    // one or two rows, or up to isa->gemv_rows of a B reused by several products: the
            // matrix-vector kernel streams B in place
  kDirect,  // a few rows, B used once or twice: panels point into B (packing would cost as much as the product)
  kPacked,  // B packed into panels once, then reused
};
BAccess choose_b_access(const IsaTable* isa, int64_t rows, int64_t uses);

// Packs panel j of op(B) (k x n) into out (k x nr, zero-padded).
void pack_b_panel(bool transB, int64_t k, int64_t n, const float* B, int64_t ldb, int nr, int64_t j, float* out);

// Packs panels [j0, j1) of op(B) (k x n; B is k x n row-major, or n x k when transB) into dst,
// which has room for all panels (panels * k * nr floats).
void pack_b_panels(bool transB, int64_t k, int64_t n, const float* B, int64_t ldb, int nr, int64_t j0, int64_t j1,
                   float* dst);

// Fully packed op(B), using all threads of the compute context. Memory comes from the compute context's scratch.
BPanels pack_b(const ComputeContext& e, bool transB, int64_t k, int64_t n, const float* B, int64_t ldb);
// Direct view of a row-major B (k x n) with a packed copy of its last partial panel (from scratch).
BPanels direct_b(const ComputeContext& e, int64_t k, int64_t n, const float* B, int64_t ldb);

// C[m x cols of panels j0..j1) (=|+=) A[m x kc] · rows [k0, k0+kc) of the panels, where element
// (r, p) of A is A[r*a_rs + p*a_cs] (p counted from k0). C points at the column of panel 0. Runs on
// the calling thread only; the recurrent kernels call it from inside their own parallel regions.
void gemm_panels(const IsaTable* isa, int64_t m, int64_t k0, int64_t kc, const float* A, int64_t a_rs, int64_t a_cs,
                 const BPanels& B, int64_t j0, int64_t j1, float* C, int64_t ldc, bool accumulate);

// C[m x B.n] (=|+=) op(A)·B for B already in panels; element (i, p) of op(A) is A[i*a_rs + p*a_cs].
// Uses all threads of the compute context. Lets several products share one packing of B.
void sgemm_panels(const ComputeContext& e, int64_t m, const float* A, int64_t a_rs, int64_t a_cs, const BPanels& B, float* C,
                  int64_t ldc, bool accumulate);

// General row-major product C = op(A)·op(B) (+ C when accumulate), on all threads of the compute context.
void sgemm(const ComputeContext& e, bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* A, int64_t lda,
           const float* B, int64_t ldb, float* C, int64_t ldc, bool accumulate);

}  // namespace rk
