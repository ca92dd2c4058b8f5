// Runs a sequence of phases of independent tasks on the pool, each phase starting once the
// previous one has completed (the time steps of a recurrent layer, or "pack, then multiply").
//
// There is no barrier that needs every thread to arrive. Each participant owns a fixed share of
// every phase's tasks (so a block of units, and the weights it reads, stays on one core from step
// to step); it runs its share, then steals what is left of the others' shares, then waits (spin,
// then futex) for the phase to complete. A thread that is descheduled or joins late simply takes
// fewer tasks, and the caller alone can finish the whole job.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <new>

#include "compute_context.h"

namespace rk {

// Phases of equal size (the time steps of a recurrent kernel).
struct UniformPhases {
  int64_t phases;
  int64_t tasks_per_phase;
};

class PhaseRunner {
 public:
  // offsets[p] = index of the first task of phase p; offsets[phases] = total tasks.
  PhaseRunner(int64_t phases, const int64_t* offsets) : phases_(phases), offsets_(offsets), per_phase_(0) {}
  explicit PhaseRunner(UniformPhases u) : phases_(u.phases), offsets_(nullptr), per_phase_(u.tasks_per_phase) {}

  // fn(tid, phase, task); tid < threads.
  template <class Fn>
  void run(const ComputeContext& e, int threads, const Fn& fn) {
    if (!e.pool || threads <= 1 || e.pool->size() <= 1) {
      for (int64_t ph = 0; ph < phases_; ++ph)
        for (int64_t t = offset(ph); t < offset(ph + 1); ++t) fn(0, ph, t - offset(ph));
      return;
    }
    shares_ = threads < e.pool->size() ? threads : e.pool->size();
    // From the call's scratch, so a long sequence's bookkeeping counts against its memory limit.
    const size_t cursor_count = static_cast<size_t>(phases_) * static_cast<size_t>(shares_);
    cursors_ = reinterpret_cast<std::atomic<int64_t>*>(e.scratch->floats(2 * cursor_count));
    for (int64_t ph = 0; ph < phases_; ++ph)
      for (int s = 0; s < shares_; ++s) new (&cursors_[ph * shares_ + s]) std::atomic<int64_t>(share_begin(ph, s));
    std::function<void(int)> body = [&](int tid) {
      // A late joiner starts at the phase in progress.
      int64_t ph = 0;
      const int64_t done_now = done_.load(std::memory_order_acquire);
      while (ph < phases_ && offset(ph + 1) <= done_now) ++ph;
      for (; ph < phases_; ++ph) {
        if (tid != 0 && done_.load(std::memory_order_acquire) >= offset(phases_)) break;
        wait_for_done(offset(ph));
        for (int k = 0; k < shares_; ++k) {  // own share first, then the others'
          const int s = (tid + k) % shares_;
          std::atomic<int64_t>& cursor = cursors_[ph * shares_ + s];
          const int64_t end = share_begin(ph, s + 1);
          for (int64_t t = cursor.fetch_add(1, std::memory_order_relaxed); t < end;
               t = cursor.fetch_add(1, std::memory_order_relaxed)) {
            fn(tid, ph, t - offset(ph));
            finish_task(ph);
          }
        }
      }
      if (tid == 0) wait_for_done(offset(phases_));  // the caller returns only when all work is complete
    };
    e.pool->run(body, shares_);
  }

 private:
  int64_t offset(int64_t ph) const { return offsets_ ? offsets_[ph] : ph * per_phase_; }
  // First task index of share s of phase ph (share `shares_` = end of the phase).
  int64_t share_begin(int64_t ph, int s) const {
    const int64_t n = offset(ph + 1) - offset(ph);
    return offset(ph) + n * s / shares_;
  }
  void finish_task(int64_t ph) {
    const int64_t done = done_.fetch_add(1, std::memory_order_seq_cst) + 1;
    if (done == offset(ph + 1)) {
      phase_word_.fetch_add(1, std::memory_order_seq_cst);
      if (waiters_.load(std::memory_order_seq_cst) > 0) wake_word_all(phase_word_);
    }
  }
  void wait_for_done(int64_t target);

  const int64_t phases_;
  const int64_t* offsets_;  // nullptr: uniform phases of per_phase_ tasks
  const int64_t per_phase_;
  int shares_ = 1;
  std::atomic<int64_t>* cursors_ = nullptr;
  std::atomic<int64_t> done_{0};
  std::atomic<uint32_t> phase_word_{0};
  std::atomic<int> waiters_{0};
};

}  // namespace rk
