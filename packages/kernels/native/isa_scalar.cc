// Portable path: plain C++ (the compiler may still use the baseline SIMD of the target, e.g. SSE2).
// Its "vector" type is the one-float S, so bodies and tails are the same code.
#include "isa.h"

#include <limits>

#include "exp_non_positive.h"

namespace rk {
namespace isa_scalar_impl {

struct ScalarOps {
  static inline float fma(float a, float b, float c) { return a * b + c; }  // two roundings (no FMA assumed)
  static inline float recip(float d) { return 1.0f / d; }
  // Ties away from zero (only used for range reduction, where either neighbour is fine).
  static inline float round(float x) { return (float)(int32_t)(x + (x >= 0.f ? 0.5f : -0.5f)); }
};

#include "isa_scalar_type.inc"
typedef S V;

static constexpr const char* kIsaName = "scalar";
static constexpr int kMR = 4;
static constexpr int kNR = 8;

#include "isa_tile.inc"
// float64 vectors of tfjs's rounding of products (isa_tfjs_gemm.inc): two doubles, in portable vector extensions.
static constexpr int kDW = 2;
typedef double DV __attribute__((vector_size(2 * sizeof(double))));
typedef float FV __attribute__((vector_size(2 * sizeof(float))));
// The product of two floats is exact in float64, so multiply-then-add rounds once, as an FMA would.
static inline DV dfma(DV a, DV b, DV c) { return a * b + c; }
static inline DV dsplat(double x) { return DV{x, x}; }
static inline DV dload(const float* p) {
  FV f;
  __builtin_memcpy(&f, p, sizeof f);
  return __builtin_convertvector(f, DV);
}
static inline void dstore(float* p, DV d) {
  const FV f = __builtin_convertvector(d, FV);
  __builtin_memcpy(p, &f, sizeof f);
}
static inline DV dround(DV d) { return __builtin_convertvector(__builtin_convertvector(d, FV), DV); }
static inline DV dadd(DV a, DV b) { return a + b; }
#include "isa_tfjs_gemm.inc"
// The softmax rows' exponentials (softmax_rows.inc): two doubles, in portable vector extensions.
static constexpr int kSoftmaxLanes = 2;
#include "softmax_rows.inc"
#include "isa_body.inc"

}  // namespace isa_scalar_impl

const IsaTable* isa_scalar() { return &isa_scalar_impl::kTable; }

}  // namespace rk
