#include "optimizer_update.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "task_phases.h"

namespace rk {
namespace {

// Arrays of at least this many elements are split over the threads: below it, handing out the
// tasks costs about as much as the second core saves (measured with bench/optimizer_update.js, Adam).
const int64_t kMinParallelElements = int64_t(1) << 14;
// SGD's rules (no square root, no division) do about a third of Adam's work per element: the split
// pays from four times as many. Below that, a rendezvous with the second thread cost more than it
// saved (W4's recurrent kernel, 16384 weights: 18 us on one thread, 21.5 on two, in a loop of calls),
// and when the other core is busy the call waits for the worker to be scheduled.
const int64_t kMinParallelElementsSgd = kMinParallelElements * 4;
// Elements per task (16 KB of each array): enough tasks for a late thread to take its share.
const int64_t kTaskElements = int64_t(1) << 12;

// One double per lane: the tails of the vector loops, and every element where SSE2 is missing.
struct OneLane {
  typedef double D;
  static D load(const float* p) { return static_cast<double>(*p); }
  static void store(float* p, D v) { *p = static_cast<float>(v); }
  static D splat(double x) { return x; }
  static D sqrt(D x) {
#if defined(__SSE2__)
    // The instruction itself: a library call (for errno on negative input) would stop nothing here.
    return _mm_cvtsd_f64(_mm_sqrt_sd(_mm_setzero_pd(), _mm_set_sd(x)));
#else
    return __builtin_sqrt(x);
#endif
  }
};

#if defined(__SSE2__)
// Two doubles per lane (the x86-64 baseline). __m128d is a GCC vector type, so + - * / act per lane
// with the same IEEE rounding as the scalar operations.
struct TwoLanes {
  typedef __m128d D;
  static D load(const float* p) { return _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)))); }
  static void store(float* p, D v) { _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_castps_si128(_mm_cvtpd_ps(v))); }
  static D splat(double x) { return _mm_set1_pd(x); }
  static D sqrt(D x) { return _mm_sqrt_pd(x); }
};
#endif

// The scalars in lanes, and the 1 - beta factors computed once as the JavaScript rules compute them.
template <class L>
struct Constants {
  typedef typename L::D D;
  D scale, decay, lr, one_minus_beta1, beta2, one_minus_beta2, epsilon, momentum;
  explicit Constants(const OptimizerScalars& s)
      : scale(L::splat(s.gradient_scale)),
        decay(L::splat(s.decay)),
        lr(L::splat(s.learning_rate)),
        one_minus_beta1(L::splat(1 - s.beta1)),
        beta2(L::splat(s.beta2)),
        one_minus_beta2(L::splat(1 - s.beta2)),
        epsilon(L::splat(s.epsilon)),
        momentum(L::splat(s.momentum)) {}
};

// w - w * decay, or w itself without decay (an infinite weight stays infinite: Infinity * 0 is NaN).
template <class L, bool kDecay>
typename L::D decayed(typename L::D w, const Constants<L>& c) {
  if (kDecay) return w - w * c.decay;
  return w;
}

// Each rule's element step, in the order of operations of its JavaScript loop.
template <class L, bool kDecay>
struct Adam {
  static void at(const Constants<L>& c, const OptimizerArrays& a, int64_t i) {
    typedef typename L::D D;
    const D g = L::load(a.gradient + i) * c.scale;
    const D m0 = L::load(a.slot_in[0] + i), v0 = L::load(a.slot_in[1] + i);
    const D m = m0 + (g - m0) * c.one_minus_beta1;
    const D v = v0 + (g * g - v0) * c.one_minus_beta2;
    L::store(a.slot_out[0] + i, m);
    L::store(a.slot_out[1] + i, v);
    L::store(a.weights_out + i, decayed<L, kDecay>(L::load(a.weights + i), c) - (c.lr * m) / (L::sqrt(v) + c.epsilon));
  }
};

template <class L, bool kDecay>
struct RMSprop {  // beta2 is rho
  static void at(const Constants<L>& c, const OptimizerArrays& a, int64_t i) {
    typedef typename L::D D;
    const D g = L::load(a.gradient + i) * c.scale;
    const D v = c.beta2 * L::load(a.slot_in[0] + i) + c.one_minus_beta2 * g * g;
    L::store(a.slot_out[0] + i, v);
    L::store(a.weights_out + i, decayed<L, kDecay>(L::load(a.weights + i), c) - (c.lr * g) / L::sqrt(v + c.epsilon));
  }
};

template <class L, bool kDecay>
struct Adagrad {
  static void at(const Constants<L>& c, const OptimizerArrays& a, int64_t i) {
    typedef typename L::D D;
    const D g = L::load(a.gradient + i) * c.scale;
    const D acc = L::load(a.slot_in[0] + i) + g * g;
    L::store(a.slot_out[0] + i, acc);
    L::store(a.weights_out + i, decayed<L, kDecay>(L::load(a.weights + i), c) - (c.lr * g) / L::sqrt(acc + c.epsilon));
  }
};

template <class L, bool kDecay>
struct Sgd {
  static void at(const Constants<L>& c, const OptimizerArrays& a, int64_t i) {
    const typename L::D g = L::load(a.gradient + i) * c.scale;
    L::store(a.weights_out + i, decayed<L, kDecay>(L::load(a.weights + i), c) - c.lr * g);
  }
};

template <bool kNesterov>
struct SgdMomentumOf {
  template <class L, bool kDecay>
  struct Rule {
    static void at(const Constants<L>& c, const OptimizerArrays& a, int64_t i) {
      typedef typename L::D D;
      const D g = L::load(a.gradient + i) * c.scale;
      const D m = c.momentum * L::load(a.slot_in[0] + i) - c.lr * g;
      L::store(a.slot_out[0] + i, m);
      const D w = decayed<L, kDecay>(L::load(a.weights + i), c);
      L::store(a.weights_out + i, kNesterov ? w + (c.momentum * m - c.lr * g) : w + m);
    }
  };
};

typedef void (*RangeFn)(const OptimizerScalars& s, const OptimizerArrays& a, int64_t begin, int64_t end);

// Elements [begin, end): pairs in vector lanes, then the odd one out with the same arithmetic.
template <template <class, bool> class Rule, bool kDecay>
void sweep(const OptimizerScalars& s, const OptimizerArrays& a, int64_t begin, int64_t end) {
  int64_t i = begin;
#if defined(__SSE2__)
  const Constants<TwoLanes> wide(s);
  for (; i + 2 <= end; i += 2) Rule<TwoLanes, kDecay>::at(wide, a, i);
#endif
  const Constants<OneLane> one(s);
  for (; i < end; ++i) Rule<OneLane, kDecay>::at(one, a, i);
}

template <template <class, bool> class Rule>
RangeFn sweep_for(bool decaying) {
  return decaying ? &sweep<Rule, true> : &sweep<Rule, false>;
}

RangeFn range_function(OptimizerRule rule, bool decaying) {
  switch (rule) {
    case RULE_ADAM: return sweep_for<Adam>(decaying);
    case RULE_RMSPROP: return sweep_for<RMSprop>(decaying);
    case RULE_ADAGRAD: return sweep_for<Adagrad>(decaying);
    case RULE_SGD: return sweep_for<Sgd>(decaying);
    case RULE_SGD_MOMENTUM: return sweep_for<SgdMomentumOf<false>::Rule>(decaying);
    case RULE_SGD_NESTEROV: return sweep_for<SgdMomentumOf<true>::Rule>(decaying);
  }
  return nullptr;
}

}  // namespace

void optimizer_update(const ComputeContext& e, OptimizerRule rule, const OptimizerScalars& s, const OptimizerArrays& a) {
  // decay == 0 (or -0) skips the decay, as the JavaScript rules' `decay === 0` test does.
  const RangeFn fn = range_function(rule, s.decay != 0);
  const int64_t tasks = (a.n + kTaskElements - 1) / kTaskElements;
  const bool sgd = rule == RULE_SGD || rule == RULE_SGD_MOMENTUM || rule == RULE_SGD_NESTEROV;
  if (a.n < (sgd ? kMinParallelElementsSgd : kMinParallelElements) || tasks < 2) {
    fn(s, a, 0, a.n);
    return;
  }
  const int64_t offsets[2] = {0, tasks};
  PhaseRunner(1, offsets).run(e, e.threads(), [&](int, int64_t, int64_t t) {
    const int64_t begin = t * kTaskElements;
    fn(s, a, begin, begin + kTaskElements < a.n ? begin + kTaskElements : a.n);
  });
}

}  // namespace rk
