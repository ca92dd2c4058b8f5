#include "row_ranges.h"

#include <sched.h>

#include <chrono>
#include <thread>

namespace rk {

namespace {
std::atomic<uint64_t> g_takeovers{0}, g_splits{0};
std::atomic<int> g_lag_us{0};
}  // namespace

RowRangeCounts row_range_counts() {
  return RowRangeCounts{g_takeovers.load(std::memory_order_relaxed), g_splits.load(std::memory_order_relaxed)};
}
void set_row_step_lag(int microseconds) { g_lag_us.store(microseconds, std::memory_order_relaxed); }
int row_step_lag() { return g_lag_us.load(std::memory_order_relaxed); }

void RowRanges::participate(int tid) {
  Slot& own = slots_[tid];
  int expected = kPending;
  // Claimed as a thief claims it (take_pending): the slot shows kRunning, and takes requests, only once
  // run_range has opened it, so no request can be posted before the range starts and then be lost.
  if (own.state.compare_exchange_strong(expected, kIdle, std::memory_order_acq_rel)) {
    run_range(tid, own.lo.load(std::memory_order_relaxed), own.hi.load(std::memory_order_relaxed), 0);
  }
  // Then help: ranges whose owners have not joined first, then the largest share of what is left.
  while (active_.load(std::memory_order_acquire) > 0) {
    if (take_pending(tid) || steal(tid)) continue;
    break;  // nothing worth taking: every range left is too small to split, or in its last step
  }
  if (tid == 0) wait_all_done();  // the caller returns once every row has run every step
}

void RowRanges::run_range(int tid, int64_t lo, int64_t hi, int64_t first_step) {
  Slot& own = slots_[tid];
  own.lo.store(lo, std::memory_order_relaxed);
  own.hi.store(hi, std::memory_order_relaxed);
  own.next.store(first_step, std::memory_order_relaxed);
  own.state.store(kRunning, std::memory_order_release);
  own.request.store(0, std::memory_order_release);  // open to thieves (it was kClosed: nothing is overwritten)
  for (int64_t s = first_step; s < steps_; ++s) {
    const int r = own.request.load(std::memory_order_acquire);
    if (r > 0) {
      answer(own, r - 1, s, lo, &hi);
      own.request.store(0, std::memory_order_release);
    }
    if (tid != 0 && lag_us_ > 0) std::this_thread::sleep_for(std::chrono::microseconds(lag_us_));
    if (lo < hi) (*step_)(tid, s, lo, hi);
    own.next.store(s + 1, std::memory_order_relaxed);
  }
  const int r = own.request.exchange(kClosed, std::memory_order_acq_rel);
  if (r > 0) answer(own, r - 1, steps_, lo, &hi);  // nothing left to hand over
  own.state.store(kIdle, std::memory_order_release);
  finish_range();
}

// Hands the thief the upper half of [lo, *hi) from `step` on, when each half keeps a row group and a step
// is left; else nothing. The answer is published with release order after every step this thread has
// run on those rows, so the thief sees their states.
void RowRanges::answer(Slot& owner, int thief, int64_t step, int64_t lo, int64_t* hi) {
  Slot& t = slots_[thief];
  const int64_t groups = (*hi - lo + kRowGroup - 1) / kRowGroup;
  if (step < steps_ && groups >= 2) {
    const int64_t mid = lo + groups / 2 * kRowGroup;
    t.got_lo = mid;
    t.got_hi = *hi;
    t.got_step = step;
    *hi = mid;
    owner.hi.store(mid, std::memory_order_relaxed);
    active_.fetch_add(1, std::memory_order_acq_rel);  // before the answer: the count never reaches 0 early
    g_splits.fetch_add(1, std::memory_order_relaxed);
  } else {
    t.got_lo = t.got_hi = 0;
    t.got_step = steps_;
  }
  t.handed.store(1, std::memory_order_seq_cst);
  if (t.sleeping.load(std::memory_order_seq_cst)) wake_word_all(t.handed);
}

bool RowRanges::take_pending(int tid) {
  for (int i = 0; i < slots_count_; ++i) {
    Slot& other = slots_[i];
    int expected = kPending;
    if (other.state.load(std::memory_order_relaxed) != kPending ||
        !other.state.compare_exchange_strong(expected, kIdle, std::memory_order_acq_rel))
      continue;
    // The absent owner's range, run here as this thread's own (its count in active_ moves with it).
    g_takeovers.fetch_add(1, std::memory_order_relaxed);
    run_range(tid, other.lo.load(std::memory_order_relaxed), other.hi.load(std::memory_order_relaxed), 0);
    return true;
  }
  return false;
}

bool RowRanges::steal(int tid) {
  Slot& own = slots_[tid];
  int refused = 0;
  for (;;) {
    // The running range with the most row-steps left, if it can be split and has at least an eighth of a
    // starting range's work left: the rows' states then move to this core's cache, and at the end of an
    // evenly paced call (one thread a few percent behind the other) that costs more than it saves (W4 training
    // ran 1-2% slower with every last few steps split).
    int victim = -1;
    int64_t most = rows_ * steps_ / (8 * static_cast<int64_t>(slots_count_)) - 1;
    for (int i = 0; i < slots_count_; ++i) {
      if (i == tid) continue;
      Slot& other = slots_[i];
      if (other.state.load(std::memory_order_acquire) != kRunning) continue;
      const int64_t rows = other.hi.load(std::memory_order_relaxed) - other.lo.load(std::memory_order_relaxed);
      const int64_t left = steps_ - other.next.load(std::memory_order_relaxed);
      if (rows <= kRowGroup || left < 2) continue;  // answer() would hand over nothing
      if (rows * left > most) {
        most = rows * left;
        victim = i;
      }
    }
    if (victim < 0) return false;
    int expected = 0;
    if (!slots_[victim].request.compare_exchange_strong(expected, tid + 1, std::memory_order_acq_rel)) {
      if (active_.load(std::memory_order_acquire) == 0) return false;
      // Another thief asked first, or the range is just starting or ending: look again, yielding now and
      // then in case its owner was preempted in between.
      if (++refused % 64 == 0) sched_yield();
      else cpu_relax();
      continue;
    }
    // The owner answers at its next step boundary, or as its range ends. Wait as PartnerWait paces it, then
    // sleep: an owner that is not running (sharing its CPU with another process) may be far from its next
    // step, and a sleeping thief leaves its CPU idle, where the scheduler can move the owner.
    PartnerWait wait;
    while (own.handed.load(std::memory_order_acquire) == 0) {
      if (wait.pause(64) && wait.expired()) break;
    }
    if (own.handed.load(std::memory_order_acquire) == 0) {
      own.sleeping.store(1, std::memory_order_seq_cst);
      while (own.handed.load(std::memory_order_seq_cst) == 0) wait_word_change(own.handed, 0);
      own.sleeping.store(0, std::memory_order_relaxed);
    }
    own.handed.store(0, std::memory_order_relaxed);
    if (own.got_lo == own.got_hi) continue;  // nothing handed over: look again
    run_range(tid, own.got_lo, own.got_hi, own.got_step);
    return true;
  }
}

void RowRanges::finish_range() {
  if (active_.fetch_sub(1, std::memory_order_seq_cst) == 1) {
    done_word_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) wake_word_all(done_word_);
  }
}

// Spin, yield, then sleep (thread_pool.h) until every range has finished.
void RowRanges::wait_all_done() {
  PartnerWait wait;
  while (active_.load(std::memory_order_acquire) > 0) {
    if (wait.pause(64) && wait.expired()) break;
  }
  if (active_.load(std::memory_order_acquire) == 0) return;
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  for (;;) {
    const uint32_t seen = done_word_.load(std::memory_order_seq_cst);
    if (active_.load(std::memory_order_seq_cst) == 0) break;
    wait_word_change(done_word_, seen);
  }
  sleepers_.fetch_sub(1, std::memory_order_seq_cst);
}

}  // namespace rk
