// Runs the steps of a time loop over independent batch rows on the pool, each thread taking a range of
// rows through every step, with the work rebalanced while it runs.
//
// A loop split by rows (rnn.h, row_blocks_for) meets once per call. Split evenly and statically, such a
// call takes as long as its slowest thread, and on a virtual machine one core at a time runs vector
// multiply-adds 1.7-2.7x slower for a second or more while a neighbour's work shares the physical core
// (bench/core_speed.js): the whole call then ran that much slower. Here a thread whose range is done takes
// over a range whose owner has not started (not joined yet), or asks the range with the most work left for
// its upper half: the owner hands it over at its next step boundary (the rows have completed the same
// steps), and both go on, the thief from that step. Rows are independent through the whole loop and each
// row's arithmetic does not depend on which rows share its products, so the results are the same bits
// however the rows move. Range bounds are multiples of kRowGroup rows (bar the batch's end), which lets a
// caller accumulate per-row-group sums (the backward's gradient norms) in an order that does not depend
// on who ran what.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <new>

#include "compute_context.h"

namespace rk {

// What the ranges did since the process started (tests and benchmarks read it): ranges taken over from an
// owner that had not started them, and ranges split for a thread that was done.
struct RowRangeCounts {
  uint64_t takeovers, splits;
};
RowRangeCounts row_range_counts();
// Tests only: every thread but the caller waits this long before each step it runs, so that the caller
// finishes first and splits the others' ranges (0: off, the default).
void set_row_step_lag(int microseconds);
int row_step_lag();

class RowRanges {
 public:
  // Range bounds are multiples of this many rows (bar the batch's end); a range is split only when each
  // half keeps at least one group (a micro-kernel tile's worth of rows).
  static constexpr int64_t kRowGroup = 4;

  RowRanges(int64_t rows, int64_t steps) : rows_(rows), steps_(steps) {}

  // fn(tid, step, b0, b1): step `step` for rows [b0, b1). Each row runs its steps 0..steps-1 in order, each
  // once; `ranges` (at most the pool's threads) ranges to start with, one per thread; tid < ranges.
  template <class Fn>
  void run(const ComputeContext& e, int ranges, const Fn& fn) {
    if (!e.pool || ranges <= 1 || e.pool->size() <= 1) {
      for (int64_t s = 0; s < steps_; ++s) fn(0, s, int64_t{0}, rows_);
      return;
    }
    slots_count_ = ranges < e.pool->size() ? ranges : e.pool->size();
    slots_ = reinterpret_cast<Slot*>(e.scratch->floats(sizeof(Slot) / sizeof(float) * static_cast<size_t>(slots_count_)));
    for (int i = 0; i < slots_count_; ++i) new (&slots_[i]) Slot(bound(i), bound(i + 1));
    active_.store(slots_count_, std::memory_order_relaxed);
    lag_us_ = row_step_lag();
    const std::function<void(int, int64_t, int64_t, int64_t)> step = [&](int tid, int64_t s, int64_t b0, int64_t b1) { fn(tid, s, b0, b1); };
    step_ = &step;
    std::function<void(int)> body = [this](int tid) { participate(tid); };
    e.pool->run(body, slots_count_);
  }

 private:
  enum : int { kPending = 0, kRunning = 1, kIdle = 2 };
  static constexpr int kClosed = -1;

  struct alignas(64) Slot {
    // The range this slot's thread runs (written by that thread; read by thieves as an estimate).
    std::atomic<int> state;
    // 0 only while this slot's thread runs a range and so will answer: it opens the slot as a range starts
    // and closes it (kClosed) as the range ends. A thief posts its tid + 1 over a 0, one at a time.
    std::atomic<int> request{kClosed};
    std::atomic<int64_t> lo, hi;
    std::atomic<int64_t> next{0};  // the next step its owner runs
    alignas(64) std::atomic<uint32_t> handed{0};  // this thread as a thief: 1 = answered (a futex word)
    std::atomic<int> sleeping{0};                 // ... and asleep waiting for the answer
    int64_t got_lo = 0, got_hi = 0, got_step = 0;  // the answer (got_lo == got_hi: nothing)
    Slot(int64_t l, int64_t h) : state(kPending), lo(l), hi(h) {}
  };

  // First row of initial range i, on a row group's boundary.
  int64_t bound(int i) const {
    if (i >= slots_count_) return rows_;
    return rows_ * i / slots_count_ / kRowGroup * kRowGroup;
  }
  void participate(int tid);
  void run_range(int tid, int64_t lo, int64_t hi, int64_t first_step);
  void answer(Slot& owner, int thief, int64_t step, int64_t lo, int64_t* hi);
  bool take_pending(int tid);
  bool steal(int tid);
  void finish_range();
  void wait_all_done();

  const int64_t rows_, steps_;
  int slots_count_ = 1;
  Slot* slots_ = nullptr;
  const std::function<void(int, int64_t, int64_t, int64_t)>* step_ = nullptr;
  int lag_us_ = 0;
  alignas(64) std::atomic<int> active_{0};  // ranges not yet finished (a split adds one)
  std::atomic<int> sleepers_{0};
  std::atomic<uint32_t> done_word_{0};
};

}  // namespace rk
