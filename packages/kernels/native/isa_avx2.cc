// AVX2 + FMA path (8 floats per vector). Compiled with -mavx2 -mfma; only called after the CPU
// reported both features.
#include "isa.h"

#include <limits>

#include "exp_non_positive.h"

#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace rk {
namespace isa_avx2_impl {

// The reciprocal estimate of the vector type, for one float (12 bits, as _mm256_rcp_ps).
static inline __m128 reciprocal_estimate(__m128 x) { return _mm_rcp_ss(x); }
#include "isa_x86_scalar_ops.inc"
#include "isa_scalar_type.inc"

struct V {
  static const int N = 8;
  __m256 v;
  static inline V load(const float* p) { return V{_mm256_loadu_ps(p)}; }
  inline void store(float* p) const { _mm256_storeu_ps(p, v); }
  // Lanes [lo, hi) of p[0, N) (the others zero, not read: a masked load does not fault on them).
  static inline __m256i lanes(int lo, int hi) {
    const __m256i i = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(hi), i), _mm256_cmpgt_epi32(i, _mm256_set1_epi32(lo - 1)));
  }
  static inline V load_lanes(const float* p, int lo, int hi) { return V{_mm256_maskload_ps(p, lanes(lo, hi))}; }
  inline void store_lanes(float* p, int lo, int hi) const { _mm256_maskstore_ps(p, lanes(lo, hi), v); }
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
  // a > b in every lane (false where either is NaN).
  static inline bool all_gt(V a, V b) { return _mm256_movemask_ps(_mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ)) == 0xff; }
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

// Tile 6x16: 12 accumulators, two B vectors and one broadcast live in the 16 ymm registers.
static constexpr const char* kIsaName = "avx2";
static constexpr int kMR = 6;
static constexpr int kNR = 16;

#include "isa_tile.inc"
// float64 vectors of tfjs's rounding of products (isa_tfjs_gemm.inc): four doubles.
static constexpr int kDW = 4;
typedef __m256d DV;
static inline DV dfma(DV a, DV b, DV c) { return _mm256_fmadd_pd(a, b, c); }
static inline DV dsplat(double x) { return _mm256_set1_pd(x); }
static inline DV dload(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
static inline void dstore(float* p, DV d) { _mm_storeu_ps(p, _mm256_cvtpd_ps(d)); }
static inline DV dround(DV d) { return _mm256_cvtps_pd(_mm256_cvtpd_ps(d)); }
static inline DV dadd(DV a, DV b) { return _mm256_add_pd(a, b); }
#include "isa_tfjs_gemm.inc"
// The softmax rows' exponentials (softmax_rows.inc): four doubles, one AVX register.
static constexpr int kSoftmaxLanes = 4;
#include "softmax_rows.inc"
#include "isa_body.inc"

}  // namespace isa_avx2_impl

const IsaTable* isa_avx2() { return &isa_avx2_impl::kTable; }

}  // namespace rk

#else
namespace rk {
const IsaTable* isa_avx2() { return nullptr; }
}  // namespace rk
#endif
