#include "owned_blocks.h"

#include <chrono>

namespace rk {

namespace {

// A block whose owner has not claimed its phase this long after the others could start it is taken
// by a waiting thread: a step takes microseconds, so the owner is descheduled or still waking up.
const auto kStealAfter = std::chrono::microseconds(20);

}  // namespace

void OwnedBlocks::participate(int tid) {
  BlockLines& own = lines_[tid];
  own.joined.value.store(1, std::memory_order_release);
  // A late joiner starts at the first phase not yet complete for every block.
  int64_t ph = phases_;
  for (int b = 0; b < blocks_; ++b) {
    const int64_t done = lines_[b].done.value.load(std::memory_order_acquire);
    if (done < ph) ph = done;
  }
  // Blocks whose last phase this thread ran for their late owner: their next phase is taken without the
  // spin (a descheduled owner usually stays away for a whole time slice, thousands of steps).
  uint64_t helped = 0;
  auto wait_all = [&](int64_t target) {
    for (int b = 0; b < blocks_; ++b) {  // its own block too: a helper may have run its phase
      const uint64_t bit = uint64_t(1) << (b & 63);
      if (wait_block(b, target, (helped & bit) != 0)) helped |= bit;
      else helped &= ~bit;
    }
  };
  for (; ph < phases_; ++ph) {
    wait_all(ph);
    try_run(tid, ph);  // fails when a helper took it: then wait for the next phase with the others
  }
  if (tid == 0) wait_all(phases_);  // the caller returns once every block has completed every phase
}

bool OwnedBlocks::try_run(int b, int64_t phase) {
  int64_t expected = phase;
  if (!lines_[b].claimed.value.compare_exchange_strong(expected, phase + 1, std::memory_order_acq_rel)) return false;
  (*task_)(phase, b);
  publish(b, phase + 1);
  return true;
}

void OwnedBlocks::publish(int b, int64_t completed) {
  lines_[b].done.value.store(completed, std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    wake_word_.fetch_add(1, std::memory_order_seq_cst);
    wake_word_all(wake_word_);
  }
}

bool OwnedBlocks::wait_block(int b, int64_t target, bool eager) {
  BlockLines& line = lines_[b];
  if (line.done.value.load(std::memory_order_acquire) >= target) return false;
  // The phase a helper may take: target - 1, once every block has completed the phase before it (the
  // caller's loop has waited for that), and while nobody has claimed it.
  auto unclaimed = [&] { return line.claimed.value.load(std::memory_order_relaxed) == target - 1; };
  if ((eager || line.joined.value.load(std::memory_order_acquire) == 0) && unclaimed() && try_run(b, target - 1)) return true;
  PartnerWait wait;  // spin, then yield (thread_pool.h): sleeping at once can cost milliseconds
  for (;;) {
    if (line.done.value.load(std::memory_order_acquire) >= target) return false;
    if (!wait.pause(32)) continue;
    if ((wait.waited() > kStealAfter || line.joined.value.load(std::memory_order_acquire) == 0) && unclaimed() &&
        try_run(b, target - 1))
      return true;
    if (wait.expired()) break;
  }
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  for (;;) {
    const uint32_t seen = wake_word_.load(std::memory_order_seq_cst);
    if (line.done.value.load(std::memory_order_seq_cst) >= target) break;
    if (unclaimed()) {  // its owner is away: take the phase (the futex wait below has a timeout)
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
      if (try_run(b, target - 1)) return true;
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      continue;
    }
    wait_word_change(wake_word_, seen);
  }
  sleepers_.fetch_sub(1, std::memory_order_seq_cst);
  return false;
}

}  // namespace rk
