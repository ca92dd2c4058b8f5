#include "task_phases.h"

#include <chrono>

namespace rk {

// Waits for the previous phase as thread_pool.h's wait_pause says: spin, yield, then sleep (phases of
// the recurrent kernels take microseconds to a few hundred, and a sleep here can cost milliseconds).
void PhaseRunner::wait_for_done(int64_t target) {
  if (done_.load(std::memory_order_acquire) >= target) return;
  const auto start = std::chrono::steady_clock::now();
  auto waited = std::chrono::steady_clock::duration::zero();
  int spins = 0;
  while (done_.load(std::memory_order_acquire) < target) {
    wait_pause(waited);
    if ((++spins & 63) != 0 && waited < kWaitSpin) continue;
    waited = std::chrono::steady_clock::now() - start;
    if (waited > kWaitYield) break;
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
