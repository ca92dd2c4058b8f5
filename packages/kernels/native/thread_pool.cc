#include "thread_pool.h"

#include <chrono>
#include <sched.h>

namespace rk {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Spins this many rounds before yielding the CPU to other processes.
static const int kSpinsBeforeYield = 4000;
// Idle workers keep spinning this long after a job before they sleep.
static const auto kIdleSpin = std::chrono::microseconds(300);

void SpinBarrier::wait() {
  const uint32_t gen = generation_.load(std::memory_order_acquire);
  if (waiting_.fetch_add(1, std::memory_order_acq_rel) + 1 == n_) {
    waiting_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    return;
  }
  int spins = 0;
  while (generation_.load(std::memory_order_acquire) == gen) {
    if (++spins < kSpinsBeforeYield) cpu_relax();
    else sched_yield();
  }
}

ThreadPool::ThreadPool(int threads) {
  if (threads < 1) threads = 1;
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { worker_loop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    epoch_.fetch_add(1, std::memory_order_acq_rel);
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run(int n, const std::function<void(int, int)>& fn) {
  if (n > size()) n = size();
  if (n <= 1) {
    fn(0, 1);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_threads_ = n;
    remaining_.store(n - 1, std::memory_order_relaxed);
    epoch_.fetch_add(1, std::memory_order_acq_rel);
  }
  if (sleepers_.load(std::memory_order_acquire) > 0) wake_.notify_all();
  fn(0, n);
  int spins = 0;
  while (remaining_.load(std::memory_order_acquire) > 0) {
    if (++spins < kSpinsBeforeYield) cpu_relax();
    else sched_yield();
  }
}

void ThreadPool::worker_loop(int tid) {
  uint64_t seen = 0;
  for (;;) {
    // Spin for a while, then sleep until the epoch changes.
    auto spin_until = std::chrono::steady_clock::now() + kIdleSpin;
    int spins = 0;
    while (epoch_.load(std::memory_order_acquire) == seen) {
      cpu_relax();
      if ((++spins & 255) == 0 && std::chrono::steady_clock::now() > spin_until) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleepers_.fetch_add(1, std::memory_order_acq_rel);
        wake_.wait(lock, [&] { return epoch_.load(std::memory_order_acquire) != seen; });
        sleepers_.fetch_sub(1, std::memory_order_acq_rel);
        break;
      }
    }
    const std::function<void(int, int)>* job;
    int n;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) return;
      seen = epoch_.load(std::memory_order_acquire);
      job = job_;
      n = job_threads_;
    }
    if (tid < n) {
      (*job)(tid, n);
      remaining_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

}  // namespace rk
