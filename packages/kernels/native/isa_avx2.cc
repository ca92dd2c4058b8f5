// AVX2 + FMA path (8 floats per vector). Compiled with -mavx2 -mfma; only called after the CPU
// reported both features.
#include "isa.h"

#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace rk {
namespace isa_avx2_impl {

#include "isa_scalar_type.inc"

struct V {
  static const int N = 8;
  __m256 v;
  static inline V load(const float* p) { return V{_mm256_loadu_ps(p)}; }
  inline void store(float* p) const { _mm256_storeu_ps(p, v); }
  static inline V set1(float x) { return V{_mm256_set1_ps(x)}; }
  friend inline V operator+(V a, V b) { return V{_mm256_add_ps(a.v, b.v)}; }
  friend inline V operator-(V a, V b) { return V{_mm256_sub_ps(a.v, b.v)}; }
  friend inline V operator*(V a, V b) { return V{_mm256_mul_ps(a.v, b.v)}; }
  friend inline V operator/(V a, V b) { return V{_mm256_div_ps(a.v, b.v)}; }
  static inline V recip(V d) {
    const __m256 r = _mm256_rcp_ps(d.v);  // 12 bits; one Newton step gives about 23
    return V{_mm256_mul_ps(r, _mm256_sub_ps(_mm256_set1_ps(2.0f), _mm256_mul_ps(d.v, r)))};
  }
  static inline V fmadd(V a, V b, V c) { return V{_mm256_fmadd_ps(a.v, b.v, c.v)}; }
  static inline V min(V a, V b) { return V{_mm256_min_ps(a.v, b.v)}; }
  static inline V max(V a, V b) { return V{_mm256_max_ps(a.v, b.v)}; }
  static inline V gt_select(V a, V b, V t, V f) {
    return V{_mm256_blendv_ps(f.v, t.v, _mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ))};
  }
  static inline V abs(V a) { return V{_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
  static inline V copysign(V mag, V sign) {
    const __m256 s = _mm256_set1_ps(-0.0f);
    return V{_mm256_or_ps(_mm256_andnot_ps(s, mag.v), _mm256_and_ps(s, sign.v))};
  }
  static inline V round(V a) { return V{_mm256_round_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
  static inline V pow2(V n) {
    __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n.v), _mm256_set1_epi32(127));
    return V{_mm256_castsi256_ps(_mm256_slli_epi32(e, 23))};
  }
};

static const char* const kIsaName = "avx2";
static const int kMR = 6;
static const int kNR = 16;

// 6x16 tile: 12 accumulators, two B vectors and one broadcast live in the 16 ymm registers.
template <int M>
static void tile_m(int64_t kc, const float* A, int64_t a_rs, int64_t a_cs, const float* B, int64_t ldb, float* C,
                   int64_t ldc, int accumulate) {
  __m256 c0[M], c1[M];
#pragma GCC unroll 8
  for (int r = 0; r < M; ++r) {
    c0[r] = accumulate ? _mm256_loadu_ps(C + r * ldc) : _mm256_setzero_ps();
    c1[r] = accumulate ? _mm256_loadu_ps(C + r * ldc + 8) : _mm256_setzero_ps();
  }
  const float* ap = A;
  for (int64_t p = 0; p < kc; ++p, ap += a_cs) {
    const float* b = B + p * ldb;
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 8
    for (int r = 0; r < M; ++r) {
      const __m256 a = _mm256_broadcast_ss(ap + r * a_rs);
      c0[r] = _mm256_fmadd_ps(a, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(a, b1, c1[r]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < M; ++r) {
    _mm256_storeu_ps(C + r * ldc, c0[r]);
    _mm256_storeu_ps(C + r * ldc + 8, c1[r]);
  }
}

#define RK_TILE_MAX_ROWS 6
#include "isa_tile_dispatch.inc"
#undef RK_TILE_MAX_ROWS
#include "isa_body.inc"

}  // namespace isa_avx2_impl

const IsaTable* isa_avx2() { return &isa_avx2_impl::kTable; }

}  // namespace rk

#else
namespace rk {
const IsaTable* isa_avx2() { return nullptr; }
}  // namespace rk
#endif
