// What a kernel call runs with: the instruction-set table, the thread pool and the scratch arena.
// One process-wide engine serves all calls; a call made while another is running (for instance
// from a worker_thread) gets a private single-threaded engine instead of waiting.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "isa.h"
#include "scratch.h"
#include "thread_pool.h"

namespace rk {

struct Engine {
  const IsaTable* isa;
  ThreadPool* pool;  // nullptr = run on the calling thread only
  ScratchArena* scratch;
  int threads() const { return pool ? pool->size() : 1; }
  // Runs fn(tid, n) on n threads (at most the pool size).
  template <class Fn>
  void parallel(int n, const Fn& fn) const {
    if (!pool || n <= 1) {
      fn(0, 1);
      return;
    }
    pool->run(n, fn);
  }
};

// Holds the shared engine for the duration of one call.
class EngineLease {
 public:
  EngineLease();
  ~EngineLease();
  const Engine& engine() const { return engine_; }

 private:
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<ScratchArena> private_scratch_;
  Engine engine_;
};

// Instruction sets the CPU supports, best first ("avx512", "avx2", "scalar").
std::vector<const IsaTable*> supported_isas();
const IsaTable* current_isa();
// Selects a path by name ("auto" = best supported); returns false if unknown or unsupported.
bool select_isa(const std::string& name);
int current_threads();
void set_threads(int n);

}  // namespace rk
