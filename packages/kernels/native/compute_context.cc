#include "compute_context.h"

#include <cstdlib>
#include <cstring>
#include <thread>

#include <unistd.h>

namespace rk {

namespace {

std::mutex g_context_mutex;  // held by the call that uses the shared compute context
std::mutex g_config_mutex;  // guards the settings below
const IsaTable* g_isa = nullptr;
int g_threads = 0;
ThreadPool* g_pool = nullptr;  // never destroyed at exit: joining threads during teardown can hang
ScratchArena* g_scratch = nullptr;
double g_min_parallel_macs = 1.0e6;
// A nonzero costs one row of K as a multiply-add pass (about twice a dense product's time per
// multiply-add); at 1/8 the list is clearly cheaper, and one-hot text inputs are far below it.
double g_max_sparse_density = 0.125;
size_t g_memory_limit = 0;  // 0 = not read yet

bool cpu_has_avx2() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool cpu_has_avx512() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

int default_threads() {
  const char* env = std::getenv("RECURRENT_KERNELS_THREADS");
  if (env && *env) {
    int n = std::atoi(env);
    if (n >= 1 && n <= 64) return n;
  }
  unsigned hc = std::thread::hardware_concurrency();
  if (hc == 0) hc = 1;
  return hc > 64 ? 64 : static_cast<int>(hc);
}

size_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return SIZE_MAX;
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}

const IsaTable* best_isa() {
  std::vector<const IsaTable*> all = supported_isas();
  return all.front();
}

void ensure_configured() {
  if (!g_isa) {
    g_isa = best_isa();
    const char* env = std::getenv("RECURRENT_KERNELS_SIMD");
    if (env && *env) {
      for (const IsaTable* t : supported_isas())
        if (std::strcmp(t->name, env) == 0) g_isa = t;
    }
  }
  if (g_threads == 0) g_threads = default_threads();
  if (g_memory_limit == 0) g_memory_limit = physical_memory_bytes();
  if (!g_pool) g_pool = new ThreadPool(g_threads);
  if (!g_scratch) g_scratch = new ScratchArena();
}

}  // namespace

std::vector<const IsaTable*> supported_isas() {
  std::vector<const IsaTable*> out;
  if (isa_avx512() && cpu_has_avx512()) out.push_back(isa_avx512());
  if (isa_avx2() && cpu_has_avx2()) out.push_back(isa_avx2());
  out.push_back(isa_scalar());
  return out;
}

const IsaTable* current_isa() {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  ensure_configured();
  return g_isa;
}

bool select_isa(const std::string& name) {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  ensure_configured();
  if (name == "auto") {
    g_isa = best_isa();
    return true;
  }
  for (const IsaTable* t : supported_isas()) {
    if (name == t->name) {
      g_isa = t;
      return true;
    }
  }
  return false;
}

int current_threads() {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  ensure_configured();
  return g_threads;
}

void set_threads(int n) {
  // Wait for a running call to finish before replacing its pool.
  std::lock_guard<std::mutex> context_lock(g_context_mutex);
  std::lock_guard<std::mutex> lock(g_config_mutex);
  ensure_configured();
  if (n == g_threads) return;
  delete g_pool;
  g_threads = n;
  g_pool = new ThreadPool(n);
}

double min_parallel_macs_per_step() {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  return g_min_parallel_macs;
}

void set_min_parallel_macs_per_step(double macs) {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  g_min_parallel_macs = macs;
}

double max_sparse_density() {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  return g_max_sparse_density;
}

void set_max_sparse_density(double density) {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  g_max_sparse_density = density;
}

void set_memory_limit_bytes(size_t bytes) {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  g_memory_limit = bytes == 0 ? physical_memory_bytes() : bytes;
}

size_t memory_limit_bytes() {
  std::lock_guard<std::mutex> lock(g_config_mutex);
  ensure_configured();
  return g_memory_limit;
}

void check_result_bytes(size_t bytes) {
  const size_t limit = memory_limit_bytes();
  if (bytes > limit) throw MemoryLimitError(bytes, limit);
}

ContextLease::ContextLease(size_t reserved_bytes) : lock_(g_context_mutex, std::try_to_lock) {
  std::lock_guard<std::mutex> config(g_config_mutex);
  ensure_configured();
  context_.isa = g_isa;
  context_.min_parallel_macs_per_step = g_min_parallel_macs;
  context_.max_sparse_density = g_max_sparse_density;
  if (lock_.owns_lock()) {
    context_.pool = g_pool;
    context_.scratch = g_scratch;
  } else {
    private_scratch_.reset(new ScratchArena());
    context_.pool = nullptr;
    context_.scratch = private_scratch_.get();
  }
  context_.scratch->begin(g_memory_limit, reserved_bytes);
}

ContextLease::~ContextLease() = default;

}  // namespace rk
