// AVX-512 path (16 floats per vector). Compiled with -mavx512f -mavx512dq -mavx512bw -mavx512vl
// -mfma; only called after the CPU reported those features.
#include "isa.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

namespace rk {
namespace isa_avx512_impl {

// The reciprocal estimate of the vector type, for one float (14 bits, as _mm512_rcp14_ps).
static inline __m128 reciprocal_estimate(__m128 x) { return _mm_rcp14_ss(x, x); }
#include "isa_x86_scalar_ops.inc"
#include "isa_scalar_type.inc"

struct V {
  static const int N = 16;
  __m512 v;
  static inline V load(const float* p) { return V{_mm512_loadu_ps(p)}; }
  inline void store(float* p) const { _mm512_storeu_ps(p, v); }
  // Lanes [lo, hi) of p[0, N) (the others zero, not read: a masked load does not fault on them).
  static inline __mmask16 lanes(int lo, int hi) { return static_cast<__mmask16>(((1u << hi) - 1u) & ~((1u << lo) - 1u)); }
  static inline V load_lanes(const float* p, int lo, int hi) { return V{_mm512_maskz_loadu_ps(lanes(lo, hi), p)}; }
  inline void store_lanes(float* p, int lo, int hi) const { _mm512_mask_storeu_ps(p, lanes(lo, hi), v); }
  static inline V set1(float x) { return V{_mm512_set1_ps(x)}; }
  friend inline V operator+(V a, V b) { return V{_mm512_add_ps(a.v, b.v)}; }
  friend inline V operator-(V a, V b) { return V{_mm512_sub_ps(a.v, b.v)}; }
  friend inline V operator*(V a, V b) { return V{_mm512_mul_ps(a.v, b.v)}; }
  friend inline V operator/(V a, V b) { return V{_mm512_div_ps(a.v, b.v)}; }
  static inline V recip(V d) {
    const __m512 r = _mm512_rcp14_ps(d.v);  // 14 bits; one Newton step gives full precision
    return V{_mm512_mul_ps(r, _mm512_sub_ps(_mm512_set1_ps(2.0f), _mm512_mul_ps(d.v, r)))};
  }
  static inline V fmadd(V a, V b, V c) { return V{_mm512_fmadd_ps(a.v, b.v, c.v)}; }
  static inline V min(V a, V b) { return V{_mm512_min_ps(a.v, b.v)}; }
  static inline V max(V a, V b) { return V{_mm512_max_ps(a.v, b.v)}; }
  static inline V gt_select(V a, V b, V t, V f) {
    return V{_mm512_mask_blend_ps(_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ), f.v, t.v)};
  }
  // a > b in every lane (false where either is NaN).
  static inline bool all_gt(V a, V b) { return _mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ) == 0xffff; }
  static inline V abs(V a) { return V{_mm512_abs_ps(a.v)}; }
  static inline V copysign(V mag, V sign) {
    const __m512i s = _mm512_set1_epi32((int)0x80000000u);
    __m512i m = _mm512_andnot_si512(s, _mm512_castps_si512(mag.v));
    return V{_mm512_castsi512_ps(_mm512_or_si512(m, _mm512_and_si512(s, _mm512_castps_si512(sign.v))))};
  }
  static inline V round(V a) { return V{_mm512_roundscale_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
  static inline V pow2(V n) {
    __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(n.v), _mm512_set1_epi32(127));
    return V{_mm512_castsi512_ps(_mm512_slli_epi32(e, 23))};
  }
};

// Tile 8x32: 16 accumulators, two B vectors and one broadcast (of 32 zmm registers).
static constexpr const char* kIsaName = "avx512";
static constexpr int kMR = 8;
static constexpr int kNR = 32;

#include "isa_tile.inc"
// float64 vectors of tfjs's rounding of products (isa_tfjs_gemm.inc): eight doubles.
static constexpr int kDW = 8;
typedef __m512d DV;
static inline DV dfma(DV a, DV b, DV c) { return _mm512_fmadd_pd(a, b, c); }
static inline DV dsplat(double x) { return _mm512_set1_pd(x); }
static inline DV dload(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
static inline void dstore(float* p, DV d) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(d)); }
static inline DV dround(DV d) { return _mm512_cvtps_pd(_mm512_cvtpd_ps(d)); }
static inline DV dadd(DV a, DV b) { return _mm512_add_pd(a, b); }
#include "isa_tfjs_gemm.inc"
// The softmax rows are the AVX2 set's (softmax_rows.inc on four doubles, which a CPU with AVX-512 also runs):
// one compiled copy, the one tested on every x86 machine.
static void softmax_rows(const float* values, int64_t count, int64_t width, float* out) {
  isa_avx2()->softmax_rows(values, count, width, out);
}
#include "isa_body.inc"

}  // namespace isa_avx512_impl

const IsaTable* isa_avx512() { return &isa_avx512_impl::kTable; }

}  // namespace rk

#else
namespace rk {
const IsaTable* isa_avx512() { return nullptr; }
}  // namespace rk
#endif
