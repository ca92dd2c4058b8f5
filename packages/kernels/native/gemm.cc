#include "gemm.h"

#include "task_phases.h"

#include <algorithm>
#include <cstring>

namespace rk {

// Depth of one pass over a panel: a 256 x 32 panel (32 KB) stays in L1 while the tiles of A pass.
static const int64_t kKC = 256;
// Rows of A per block: about 256 KB of A stays in L2 while the panels pass.
static const int64_t kABlockFloats = 65536;
// Below this many multiply-adds a product runs on one thread.
static const double kMinParallelMacs = 1.0e6;

BAccess choose_b_access(const IsaTable* isa, int64_t rows, int64_t uses) {
  if (rows <= 2) return BAccess::kGemv;
  // Weights reused by many products of a few rows (a recurrent layer's steps, read from cache): the
  // matrix-vector kernel loads each weight vector once for all the rows it takes together.
  if (uses >= 4 && rows <= isa->gemv_rows) return BAccess::kGemv;
  // A panel is worth packing when it is reused over several products or by many rows of A.
  return uses >= 4 || rows > 2 * isa->mr ? BAccess::kPacked : BAccess::kDirect;
}

void pack_b_panel(bool transB, int64_t k, int64_t n, const float* B, int64_t ldb, int nr, int64_t j, float* out) {
  const int64_t c0 = j * nr;
  const int64_t cols = std::min<int64_t>(nr, n - c0);
  if (!transB) {
    for (int64_t p = 0; p < k; ++p) {
      float* o = out + p * nr;
      std::memcpy(o, B + p * ldb + c0, cols * sizeof(float));
      for (int64_t c = cols; c < nr; ++c) o[c] = 0.0f;
    }
    return;
  }
  // op(B) = B^T: walk B's rows (contiguous) in blocks of the panel height.
  const int64_t kb = 64;
  for (int64_t p0 = 0; p0 < k; p0 += kb) {
    const int64_t p1 = std::min<int64_t>(k, p0 + kb);
    for (int64_t c = 0; c < cols; ++c) {
      const float* col = B + (c0 + c) * ldb;
      for (int64_t p = p0; p < p1; ++p) out[p * nr + c] = col[p];
    }
    for (int64_t p = p0; p < p1; ++p)
      for (int64_t c = cols; c < nr; ++c) out[p * nr + c] = 0.0f;
  }
}

void pack_b_panels(bool transB, int64_t k, int64_t n, const float* B, int64_t ldb, int nr, int64_t j0, int64_t j1,
                   float* dst) {
  for (int64_t j = j0; j < j1; ++j) pack_b_panel(transB, k, n, B, ldb, nr, j, dst + j * k * nr);
}

BPanels pack_b(const ComputeContext& e, bool transB, int64_t k, int64_t n, const float* B, int64_t ldb) {
  BPanels out;
  out.nr = e.isa->nr;
  out.k = k;
  out.n = n;
  out.panels = (n + out.nr - 1) / out.nr;
  float* dst = e.scratch->floats(static_cast<size_t>(out.panels * k * out.nr));
  out.packed = dst;
  if (out.panels == 0) return out;
  const int nt = static_cast<double>(k) * n > 65536 ? e.threads() : 1;
  const int64_t offsets[2] = {0, out.panels};
  PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t j) {
    pack_b_panel(transB, k, n, B, ldb, out.nr, j, dst + j * k * out.nr);
  });
  return out;
}

BPanels direct_b(const ComputeContext& e, int64_t k, int64_t n, const float* B, int64_t ldb) {
  BPanels out;
  out.nr = e.isa->nr;
  out.k = k;
  out.n = n;
  out.panels = (n + out.nr - 1) / out.nr;
  out.direct = B;
  out.ldb = ldb;
  if (n % out.nr != 0) {
    float* edge = e.scratch->floats(static_cast<size_t>(k * out.nr));
    pack_b_panel(false, k, n, B, ldb, out.nr, out.panels - 1, edge);
    out.edge = edge;
  }
  return out;
}

void gemm_panels(const IsaTable* isa, int64_t m, int64_t k0, int64_t kc, const float* A, int64_t a_rs, int64_t a_cs,
                 const BPanels& B, int64_t j0, int64_t j1, float* C, int64_t ldc, bool accumulate) {
  const int mr = isa->mr;
  for (int64_t j = j0; j < j1; ++j) {
    int64_t ld;
    const float* panel = B.panel(j, k0, &ld);
    const int nvalid = B.valid_columns(j);
    float* cj = C + j * B.nr;
    for (int64_t i = 0; i < m; i += mr) {
      const int rows = static_cast<int>(std::min<int64_t>(mr, m - i));
      isa->tile(rows, kc, A + i * a_rs, a_rs, a_cs, panel, ld, cj + i * ldc, ldc, nvalid, accumulate ? 1 : 0);
    }
  }
}

namespace {

// Cuts C into tasks (row blocks x panel groups) for the threads; kc_max = depth of one pass.
struct ProductTasks {
  int64_t mc, row_blocks, groups, per_group, count;
  ProductTasks(int64_t m, int64_t panels, int64_t kc_max, int mr, int nt) {
    mc = std::max<int64_t>(mr, kABlockFloats / kc_max / mr * mr);
    row_blocks = (m + mc - 1) / mc;
    groups = std::min<int64_t>(panels, std::max<int64_t>(1, (4 * nt + row_blocks - 1) / row_blocks));
    per_group = (panels + groups - 1) / groups;
    groups = (panels + per_group - 1) / per_group;
    count = row_blocks * groups;
  }
};

void product_task(const IsaTable* isa, const ProductTasks& pt, int64_t t, int64_t m, int64_t k, const float* A,
                  int64_t a_rs, int64_t a_cs, const BPanels& bp, float* C, int64_t ldc, bool accumulate) {
  const int64_t rb = t / pt.groups, g = t % pt.groups;
  const int64_t i0 = rb * pt.mc, rows = std::min<int64_t>(pt.mc, m - i0);
  const int64_t j0 = g * pt.per_group, j1 = std::min<int64_t>(bp.panels, j0 + pt.per_group);
  for (int64_t p0 = 0; p0 < k; p0 += kKC) {
    const int64_t kc = std::min<int64_t>(kKC, k - p0);
    gemm_panels(isa, rows, p0, kc, A + i0 * a_rs + p0 * a_cs, a_rs, a_cs, bp, j0, j1, C + i0 * ldc, ldc,
                accumulate || p0 > 0);
  }
}

void zero_or_keep(int64_t m, int64_t n, float* C, int64_t ldc, bool accumulate) {
  if (!accumulate)
    for (int64_t i = 0; i < m; ++i) std::memset(C + i * ldc, 0, n * sizeof(float));
}

}  // namespace

void sgemm_panels(const ComputeContext& e, int64_t m, const float* A, int64_t a_rs, int64_t a_cs, const BPanels& B, float* C,
                  int64_t ldc, bool accumulate) {
  if (m <= 0 || B.n <= 0) return;
  if (B.k <= 0) return zero_or_keep(m, B.n, C, ldc, accumulate);
  const double macs = static_cast<double>(m) * B.n * B.k;
  const int nt = macs >= kMinParallelMacs ? e.threads() : 1;
  const ProductTasks pt(m, B.panels, std::min<int64_t>(B.k, kKC), e.isa->mr, nt);
  const int64_t offsets[2] = {0, pt.count};
  PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t t) {
    product_task(e.isa, pt, t, m, B.k, A, a_rs, a_cs, B, C, ldc, accumulate);
  });
}

void sgemm(const ComputeContext& e, bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* A, int64_t lda,
           const float* B, int64_t ldb, float* C, int64_t ldc, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) return zero_or_keep(m, n, C, ldc, accumulate);
  const IsaTable* isa = e.isa;
  // A transposed B is always packed; otherwise, with few rows of A, each element of B is used a handful
  // of times and B is read in place: by the matrix-vector kernel for one or two rows, in column
  // chunks shared among the threads, or as panels pointing into B.
  const BAccess access = transB ? BAccess::kPacked : choose_b_access(isa, m, 1);
  if (access == BAccess::kGemv) {
    const int64_t a_rs = transA ? 1 : lda, a_cs = transA ? lda : 1;
    const int64_t chunk = 512;
    const int64_t chunks = (n + chunk - 1) / chunk;
    const int nt = static_cast<double>(m) * n * k >= kMinParallelMacs * kGemvParallelShare ? e.threads() : 1;
    const int64_t offsets[2] = {0, chunks * m};
    PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t t) {
      const int64_t i = t / chunks, j0 = (t % chunks) * chunk, width = std::min(chunk, n - j0);
      isa->gemv(k, A + i * a_rs, a_cs, B + j0, ldb, width, C + i * ldc + j0, accumulate ? 1 : 0);
    });
    return;
  }
  if (access == BAccess::kDirect) {
    const int64_t a_rs = transA ? 1 : lda, a_cs = transA ? lda : 1;
    sgemm_panels(e, m, A, a_rs, a_cs, direct_b(e, k, n, B, ldb), C, ldc, accumulate);
    return;
  }
  const int nr = isa->nr;
  const int64_t panels = (n + nr - 1) / nr;
  const double macs = static_cast<double>(m) * n * k;
  const int nt = macs >= kMinParallelMacs ? e.threads() : 1;

  float* packed = e.scratch->floats(static_cast<size_t>(panels * k * nr));
  BPanels bp;
  bp.nr = nr;
  bp.k = k;
  bp.n = n;
  bp.panels = panels;
  bp.packed = packed;
  // Element (i, p) of op(A).
  const int64_t a_rs = transA ? 1 : lda, a_cs = transA ? lda : 1;
  const ProductTasks pt(m, panels, std::min<int64_t>(k, kKC), isa->mr, nt);

  // Phase 0 packs B (a task per panel), phase 1 multiplies.
  const int64_t offsets[3] = {0, panels, panels + pt.count};
  PhaseRunner(2, offsets).run(e, nt, [&](int, int64_t phase, int64_t t) {
    if (phase == 0) pack_b_panel(transB, k, n, B, ldb, nr, t, packed + t * k * nr);
    else product_task(isa, pt, t, m, k, A, a_rs, a_cs, bp, C, ldc, accumulate);
  });
}

}  // namespace rk
