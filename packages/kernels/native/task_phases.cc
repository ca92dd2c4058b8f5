#include "task_phases.h"

#include <chrono>

namespace rk {

// Waits for the previous phase as PartnerWait paces it (thread_pool.h): spin, yield, then sleep (phases
// of the recurrent kernels take microseconds to a few hundred, and a sleep at once can cost milliseconds).
void PhaseRunner::wait_for_done(int64_t target) {
  if (done_.load(std::memory_order_acquire) >= target) return;
  PartnerWait wait;
  while (done_.load(std::memory_order_acquire) < target) {
    if (wait.pause(64) && wait.expired()) break;
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
