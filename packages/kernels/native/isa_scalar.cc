// Portable path: plain C++ (the compiler may still use the baseline SIMD of the target, e.g. SSE2).
// Its "vector" type is the one-float S, so bodies and tails are the same code.
#include "isa.h"

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
#include "isa_body.inc"

}  // namespace isa_scalar_impl

const IsaTable* isa_scalar() { return &isa_scalar_impl::kTable; }

}  // namespace rk
