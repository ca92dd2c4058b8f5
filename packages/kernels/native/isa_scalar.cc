// Portable path: plain C++ (the compiler may still use the baseline SIMD of the target, e.g. SSE2).
#include "isa.h"

namespace rk {
namespace isa_scalar_impl {

#include "isa_scalar_type.inc"
typedef S V;

static const char* const kIsaName = "scalar";
static const int kMR = 4;
static const int kNR = 8;

template <int M>
static void tile_m(int64_t kc, const float* A, int64_t a_rs, int64_t a_cs, const float* B, int64_t ldb, float* C,
                   int64_t ldc, int accumulate) {
  float c[M][kNR];
  for (int r = 0; r < M; ++r)
    for (int j = 0; j < kNR; ++j) c[r][j] = accumulate ? C[r * ldc + j] : 0.0f;
  const float* ap = A;
  for (int64_t p = 0; p < kc; ++p, ap += a_cs) {
    const float* b = B + p * ldb;
    for (int r = 0; r < M; ++r) {
      const float a = ap[r * a_rs];
      for (int j = 0; j < kNR; ++j) c[r][j] += a * b[j];
    }
  }
  for (int r = 0; r < M; ++r)
    for (int j = 0; j < kNR; ++j) C[r * ldc + j] = c[r][j];
}

#define RK_TILE_MAX_ROWS 4
#include "isa_tile_dispatch.inc"
#undef RK_TILE_MAX_ROWS
#include "isa_body.inc"

}  // namespace isa_scalar_impl

const IsaTable* isa_scalar() { return &isa_scalar_impl::kTable; }

}  // namespace rk
