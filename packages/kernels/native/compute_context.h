// What a kernel call runs with: the instruction-set table, the thread pool and the scratch arena.
// One process-wide compute context serves all calls; a call made while another is running (for instance
// from a worker_thread) gets a private single-threaded context instead of waiting.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "isa.h"
#include "scratch.h"
#include "thread_pool.h"

namespace rk {

struct ComputeContext {
  const IsaTable* isa;
  ThreadPool* pool;  // nullptr = run on the calling thread only
  ScratchArena* scratch;
  // Below this many multiply-adds per step, the time loop of a recurrent kernel runs on one
  // thread (handing tasks between cores then costs more than it saves).
  double min_parallel_macs_per_step;
  // Inputs with at most this fraction of nonzero elements are projected (and their kernel gradient
  // computed) from a list of the nonzeros (sparse_rows.h); 0 = always dense.
  double max_sparse_density;
  int threads() const { return pool ? pool->size() : 1; }
};

// Holds the shared compute context for the duration of one call, whose scratch may use the memory
// limit less `reserved_bytes` (what the call's results take).
class ContextLease {
 public:
  explicit ContextLease(size_t reserved_bytes = 0);
  ~ContextLease();
  const ComputeContext& context() const { return context_; }

 private:
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<ScratchArena> private_scratch_;
  ComputeContext context_;
};

// Instruction sets the CPU supports, best first ("avx512", "avx2", "scalar").
std::vector<const IsaTable*> supported_isas();
const IsaTable* current_isa();
// Selects a path by name ("auto" = best supported); returns false if unknown or unsupported.
bool select_isa(const std::string& name);
int current_threads();
void set_threads(int n);
double min_parallel_macs_per_step();
// Memory one call may use for its results and scratch together: the machine's physical memory unless
// set (the JavaScript side sets it from RECURRENT_MEMORY_LIMIT or setMemoryLimit(), the one limit of the
// library). A call beyond it is refused before it allocates.
size_t memory_limit_bytes();
// 0 goes back to the machine's physical memory.
void set_memory_limit_bytes(size_t bytes);
// Throws MemoryLimitError when `bytes` of results alone exceed the limit.
void check_result_bytes(size_t bytes);
void set_min_parallel_macs_per_step(double macs);
double max_sparse_density();
void set_max_sparse_density(double density);

}  // namespace rk
