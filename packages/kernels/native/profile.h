// Optional phase timers for profiling the kernels (perf is not always available). Compiled out
// unless RK_PROFILE is defined; a profiling build prints per-phase thread-CPU and wall times.
#pragma once

#ifdef RK_PROFILE
#include <time.h>

#include <cstdio>

namespace rk {
struct PhaseTotals {
  const char* name;
  double cpu_ms = 0, wall_ms = 0;
  long calls = 0;
  explicit PhaseTotals(const char* n) : name(n) {}
  ~PhaseTotals() { std::fprintf(stderr, "%-28s calls %6ld  cpu %10.2f ms  wall %10.2f ms\n", name, calls, cpu_ms, wall_ms); }
};
inline double clock_ms(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}
struct PhaseScope {
  PhaseTotals& totals;
  double cpu0, wall0;
  explicit PhaseScope(PhaseTotals& t)
      : totals(t), cpu0(clock_ms(CLOCK_THREAD_CPUTIME_ID)), wall0(clock_ms(CLOCK_MONOTONIC)) {}
  ~PhaseScope() {
    totals.cpu_ms += clock_ms(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    totals.wall_ms += clock_ms(CLOCK_MONOTONIC) - wall0;
    totals.calls++;
  }
};
}  // namespace rk
#define RK_PHASE(var, label)                 \
  static rk::PhaseTotals var##_totals(label); \
  rk::PhaseScope var##_scope(var##_totals)
#else
#define RK_PHASE(var, label) \
  do {                       \
  } while (0)
#endif
