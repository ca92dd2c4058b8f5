// Runs a sequence of phases of one task per block, each block owned by one thread for the whole run:
// the time loop of a small batch, where a step takes a few microseconds and each core should read
// the same weight columns (kept in its own cache) at every step.
//
// Phase p of every block must be complete before phase p + 1 of any block starts. Instead of the
// shared task counters of PhaseRunner (task_phases.h), each block has two words on cache lines of
// their own: the phase its owner claims next and the phases it has completed. An owner claims its
// block's next phase on its own line, publishes the completed phase, and reads the other blocks'
// progress lines: about two cache-line transfers per step and thread.
//
// A thread that is late never holds the others up for long: a block whose owner has not joined the
// job (the pool's workers join when they wake) is taken at once by the thread waiting for it, and one
// whose owner has not claimed it after a short spin (descheduled on a busy machine) likewise. Waits
// spin, then sleep on a futex.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <new>

#include "compute_context.h"

namespace rk {

class OwnedBlocks {
 public:
  explicit OwnedBlocks(int64_t phases) : phases_(phases) {}

  // fn(phase, block) for every phase and block in [0, blocks); thread `block` of the pool owns the
  // block. More blocks than the pool has threads run one after the other on the calling thread.
  template <class Fn>
  void run(const ComputeContext& e, int blocks, const Fn& fn) {
    if (!e.pool || blocks <= 1 || blocks > e.pool->size()) {
      for (int64_t ph = 0; ph < phases_; ++ph)
        for (int b = 0; b < blocks; ++b) fn(ph, static_cast<int64_t>(b));
      return;
    }
    blocks_ = blocks;
    lines_ = reinterpret_cast<BlockLines*>(e.scratch->floats(sizeof(BlockLines) / sizeof(float) * blocks_));
    for (int b = 0; b < blocks_; ++b) new (&lines_[b]) BlockLines(b == 0);
    const std::function<void(int64_t, int)> task = [&](int64_t ph, int block) { fn(ph, static_cast<int64_t>(block)); };
    task_ = &task;
    std::function<void(int)> body = [this](int tid) { participate(tid); };
    e.pool->run(body, blocks_);
  }

 private:
  struct alignas(64) Word {
    std::atomic<int64_t> value;
    explicit Word(int64_t v) : value(v) {}
  };
  struct BlockLines {
    Word claimed{0};  // phases of the block taken (by its owner or a helper)
    Word done{0};     // phases of the block completed
    Word joined;      // the owner has entered the job
    explicit BlockLines(bool owner_present) : joined(owner_present ? 1 : 0) {}
  };

  void participate(int tid);
  // Returns once block b has completed `target` phases, running its phase target - 1 here when its
  // owner is absent or late to claim it (at once when `eager`); true when it ran it.
  bool wait_block(int b, int64_t target, bool eager);
  bool try_run(int b, int64_t phase);
  void publish(int b, int64_t completed);

  const int64_t phases_;
  int blocks_ = 1;
  BlockLines* lines_ = nullptr;
  const std::function<void(int64_t, int)>* task_ = nullptr;
  alignas(64) std::atomic<int> sleepers_{0};
  std::atomic<uint32_t> wake_word_{0};
};

}  // namespace rk
