// Runs a sequence of phases of independent tasks on the pool, each phase starting once the
// previous one has completed (the time steps of a recurrent layer, or "pack, then multiply").
//
// Tasks are handed out by one ticket counter in order, so there is no barrier that needs every
// thread to arrive: a thread takes the next ticket, waits (spin, then futex) until the phases
// before the ticket's phase are complete, runs the task and counts it done. A thread that is slow
// or never joins just takes fewer tickets.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>

#include "engine.h"

namespace rk {

class PhaseRunner {
 public:
  // offsets[p] = index of the first task of phase p; offsets[phases] = total tasks. Phases may
  // not be empty.
  PhaseRunner(int64_t phases, const int64_t* offsets) : phases_(phases), offsets_(offsets) {}

  // fn(tid, phase, task); tid < threads.
  template <class Fn>
  void run(const Engine& e, int threads, const Fn& fn) {
    const int64_t total = offsets_[phases_];
    if (!e.pool || threads <= 1) {
      for (int64_t ph = 0; ph < phases_; ++ph)
        for (int64_t t = offsets_[ph]; t < offsets_[ph + 1]; ++t) fn(0, ph, t - offsets_[ph]);
      return;
    }
    std::function<void(int)> body = [&](int tid) {
      int64_t ph = 0;
      for (;;) {
        const int64_t ticket = next_.fetch_add(1, std::memory_order_relaxed);
        if (ticket >= total) break;
        while (offsets_[ph + 1] <= ticket) ++ph;
        wait_for_done(offsets_[ph]);
        fn(tid, ph, ticket - offsets_[ph]);
        const int64_t done = done_.fetch_add(1, std::memory_order_seq_cst) + 1;
        if (done == offsets_[ph + 1]) {
          phase_word_.fetch_add(1, std::memory_order_seq_cst);
          if (waiters_.load(std::memory_order_seq_cst) > 0) wake_word_all(phase_word_);
        }
      }
      if (tid == 0) wait_for_done(total);  // the caller returns only when all work is complete
    };
    e.pool->run(body, threads);
  }

 private:
  void wait_for_done(int64_t target);

  const int64_t phases_;
  const int64_t* offsets_;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<uint32_t> phase_word_{0};
  std::atomic<int> waiters_{0};
};

}  // namespace rk
