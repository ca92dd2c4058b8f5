// A small persistent thread pool whose jobs are *elastic*: `run(fn, n)` calls fn(tid) on the caller
// (tid 0) and on each worker that picks the job up before the caller has finished it. Jobs are
// written (see task_phases.h) so that any number of participants completes them; a worker that is
// descheduled (the machine may be busy with other processes) therefore never holds the others up.
// Idle workers spin briefly after a job (the recurrent kernels issue many short jobs), then sleep.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rk {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Runs fn(0) here and fn(tid) on workers 1..max_threads-1 that join in time; returns when the
  // caller's fn has returned and every worker that joined has left fn. fn must not throw.
  void run(const std::function<void(int tid)>& fn, int max_threads);

 private:
  void worker_loop(int tid);
  void steer_sleepers_off(int cpu);
  void restore_cpus(int tid);

  std::vector<std::thread> workers_;
  // Per worker (index tid): its kernel thread id once it has started (0 before); whether the caller
  // narrowed its CPUs when it woke it (steer_sleepers_off), which the worker undoes as it wakes; and the
  // CPUs it had before (a cpu_set_t on Linux).
  std::unique_ptr<std::atomic<int>[]> worker_ids_;
  std::unique_ptr<std::atomic<bool>[]> steered_;
  std::unique_ptr<unsigned char[]> cpus_before_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> epoch_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<int> active_{0};  // workers inside the current job's fn
  const std::function<void(int)>* job_ = nullptr;
  uint64_t job_epoch_ = 0;
  int job_threads_ = 0;
  bool job_open_ = false;
  bool stop_ = false;
};

void cpu_relax();

// How a thread waits for a partner inside a job (task_phases, owned_blocks): spin (kWaitSpin), then keep
// its CPU but offer it to any other runnable thread (until kWaitYield: sched_yield), and only then sleep.
// A sleeping thread's CPU may halt, and on a virtual machine the scheduler then wakes the sleeper on its
// waker's CPU, where the two take turns for milliseconds: a trace of a batch-1 LSTM(256) forward after
// the machine idled showed the caller, after a 60 us spin and a sleep, away for 3 ms of a 4.5 ms call.
// The yield keeps a partner that was preempted on this CPU from waiting on the spin.
inline constexpr auto kWaitSpin = std::chrono::microseconds(60);
inline constexpr auto kWaitYield = std::chrono::microseconds(2000);

class PartnerWait {
 public:
  // One pause of the waiting loop: a cpu_relax while spinning, else a yield. Returns true when it read
  // the clock (every `every` pauses while spinning, at each yield): time for the caller's other checks.
  bool pause(int every);
  std::chrono::steady_clock::duration waited() const { return waited_; }
  // kWaitYield has passed: the caller should sleep now.
  bool expired() const { return waited_ > kWaitYield; }

 private:
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration waited_{0};
  int pauses_ = 0;
};

// Waiting on a 32-bit word: spin briefly, then sleep in the kernel (a futex on Linux) so that a
// descheduled partner thread can get this CPU.
void wait_word_change(std::atomic<uint32_t>& word, uint32_t seen);
void wake_word_all(std::atomic<uint32_t>& word);

}  // namespace rk
