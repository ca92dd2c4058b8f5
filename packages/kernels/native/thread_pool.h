// A small persistent pool: `run(n, fn)` calls fn(tid, n) on the caller (tid 0) and n-1 workers,
// and returns when all are done. Workers spin briefly between jobs (the recurrent kernels issue
// many short jobs and barriers) and then sleep, so an idle addon costs no CPU.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rk {

// Barrier for the threads of one job: spins, then yields (the machine may be oversubscribed).
class SpinBarrier {
 public:
  explicit SpinBarrier(int n) : n_(n), waiting_(0), generation_(0) {}
  void wait();

 private:
  const int n_;
  std::atomic<int> waiting_;
  std::atomic<uint32_t> generation_;
};

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Runs fn on min(n, size()) threads; fn must not throw.
  void run(int n, const std::function<void(int tid, int n)>& fn);

 private:
  void worker_loop(int tid);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> epoch_{0};
  std::atomic<int> remaining_{0};
  std::atomic<int> sleepers_{0};
  const std::function<void(int, int)>* job_ = nullptr;
  int job_threads_ = 0;
  bool stop_ = false;
};

void cpu_relax();

}  // namespace rk
