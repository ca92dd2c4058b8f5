#include "thread_pool.h"

#include <chrono>
#include <sched.h>

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#endif

namespace rk {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

bool PartnerWait::pause(int every) {
  const bool spinning = waited_ < kWaitSpin;
  if (spinning) cpu_relax();
  else sched_yield();
  if (spinning && ++pauses_ % every != 0) return false;
  waited_ = std::chrono::steady_clock::now() - start_;
  return true;
}

// Idle workers keep spinning this long after a job before they sleep.
static const auto kIdleSpin = std::chrono::microseconds(300);

void wait_word_change(std::atomic<uint32_t>& word, uint32_t seen) {
  if (word.load(std::memory_order_seq_cst) != seen) return;
#ifdef __linux__
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t), "futex word must be 32 bits");
  timespec timeout{0, 2000000};  // 2 ms: a safety net only; wakes are explicit
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, seen, &timeout, nullptr, 0);
#else
  sched_yield();
#endif
}

void wake_word_all(std::atomic<uint32_t>& word) {
#ifdef __linux__
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 0x7fffffff, nullptr, nullptr, 0);
#else
  (void)word;
#endif
}

ThreadPool::ThreadPool(int threads) {
  if (threads < 1) threads = 1;
  worker_ids_.reset(new std::atomic<int>[static_cast<size_t>(threads)]);
  steered_.reset(new std::atomic<bool>[static_cast<size_t>(threads)]);
#ifdef __linux__
  cpus_before_.reset(new unsigned char[static_cast<size_t>(threads) * sizeof(cpu_set_t)]);
#endif
  for (int t = 0; t < threads; ++t) {
    worker_ids_[t].store(0);
    steered_[t].store(false);
  }
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { worker_loop(t); });
}

// Sleeping workers are woken on a CPU other than the caller's `cpu` when there is one. Otherwise the
// scheduler often queues a woken worker on the waking caller's own CPU while the others idle (a
// virtual machine reports an idle, halted vCPU as unavailable): the two then take turns on one CPU,
// and the worker first runs milliseconds later, when the caller's time slice ends. Measured on a
// 2-vCPU machine: a batch-1 LSTM(256) forward 20 ms after the last call took 4.4 ms with the worker
// joining 2.5 ms late, against 1.2 ms back to back. Each steered worker gets its CPUs back as it joins.
void ThreadPool::steer_sleepers_off(int cpu) {
#ifdef __linux__
  if (cpu < 0 || cpu >= CPU_SETSIZE) return;
  for (size_t t = 1; t <= workers_.size(); ++t) {
    const int id = worker_ids_[t].load(std::memory_order_acquire);
    // A worker still steered from an earlier wake keeps the CPUs it had before that one.
    if (id <= 0 || steered_[t].load(std::memory_order_acquire)) continue;
    cpu_set_t* before = reinterpret_cast<cpu_set_t*>(cpus_before_.get() + t * sizeof(cpu_set_t));
    if (sched_getaffinity(id, sizeof *before, before) != 0 || !CPU_ISSET(cpu, before)) continue;
    cpu_set_t others = *before;
    CPU_CLR(cpu, &others);
    if (CPU_COUNT(&others) == 0) continue;
    if (sched_setaffinity(id, sizeof others, &others) == 0) steered_[t].store(true, std::memory_order_release);
  }
#else
  (void)cpu;
#endif
}

// A worker the caller steered (steer_sleepers_off) gets back the CPUs it had.
void ThreadPool::restore_cpus(int tid) {
#ifdef __linux__
  if (!steered_[tid].load(std::memory_order_acquire)) return;
  sched_setaffinity(0, sizeof(cpu_set_t), reinterpret_cast<const cpu_set_t*>(cpus_before_.get() + tid * sizeof(cpu_set_t)));
  steered_[tid].store(false, std::memory_order_release);
#else
  (void)tid;
#endif
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

void ThreadPool::run(const std::function<void(int)>& fn, int max_threads) {
  if (max_threads > size()) max_threads = size();
  if (max_threads <= 1) {
    fn(0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_threads_ = max_threads;
    job_open_ = true;
    job_epoch_ = epoch_.load(std::memory_order_relaxed) + 1;
    epoch_.store(job_epoch_, std::memory_order_release);
  }
  if (sleepers_.load(std::memory_order_acquire) > 0) {
#ifdef __linux__
    steer_sleepers_off(sched_getcpu());
#endif
    wake_.notify_all();
  }
  fn(0);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_open_ = false;  // workers that wake from now on skip this job
  }
  int spins = 0;
  while (active_.load(std::memory_order_acquire) > 0) {
    if (++spins < 2000) cpu_relax();
    else sched_yield();
  }
}

void ThreadPool::worker_loop(int tid) {
  uint64_t seen = 0;
#ifdef __linux__
  worker_ids_[tid].store(static_cast<int>(syscall(SYS_gettid)), std::memory_order_release);
#endif
  for (;;) {
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
    const std::function<void(int)>* job = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) return;
      seen = epoch_.load(std::memory_order_acquire);
      if (job_open_ && job_epoch_ == seen && tid < job_threads_) {
        job = job_;
        active_.fetch_add(1, std::memory_order_acq_rel);
      }
    }
    restore_cpus(tid);
    if (job) {
      (*job)(tid);
      active_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

}  // namespace rk
