#include "task_phases.h"

#include <chrono>

namespace rk {

// Spin this long for the previous phase before sleeping; phases of the recurrent kernels take
// microseconds, so a short spin usually suffices on a quiet machine.
static const auto kSpin = std::chrono::microseconds(50);

void PhaseRunner::wait_for_done(int64_t target) {
  if (done_.load(std::memory_order_acquire) >= target) return;
  const auto spin_until = std::chrono::steady_clock::now() + kSpin;
  int spins = 0;
  while (done_.load(std::memory_order_acquire) < target) {
    cpu_relax();
    if ((++spins & 63) == 0 && std::chrono::steady_clock::now() > spin_until) break;
  }
  if (done_.load(std::memory_order_acquire) >= target) return;
  waiters_.fetch_add(1, std::memory_order_seq_cst);
  for (;;) {
    const uint32_t seen = phase_word_.load(std::memory_order_seq_cst);
    if (done_.load(std::memory_order_seq_cst) >= target) break;
    wait_word_change(phase_word_, seen);
  }
  waiters_.fetch_sub(1, std::memory_order_seq_cst);
}

}  // namespace rk
