#include "result_buffers.h"

#include <cstdlib>
#include <map>
#include <mutex>

namespace rk {
namespace {

// Results smaller than this come from V8's own allocator.
const size_t kMinPooledBytes = 256 * 1024;
// Blocks kept for reuse at most (beyond it, returned blocks are freed).
const size_t kMaxPooledBytes = size_t(512) * 1024 * 1024;

struct Pool {
  std::mutex mutex;
  std::multimap<size_t, void*> free_blocks;  // capacity -> block
  size_t pooled_bytes = 0;
};

// Never destroyed: finalizers may run during process or worker teardown.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

size_t round_capacity(size_t bytes) { return (bytes + 4095) / 4096 * 4096; }

void* acquire(size_t bytes, size_t* capacity) {
  const size_t want = round_capacity(bytes);
  {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    auto it = p.free_blocks.lower_bound(want);
    // Reuse a block of the same size, or up to an eighth larger.
    if (it != p.free_blocks.end() && it->first <= want + want / 8) {
      void* block = it->second;
      *capacity = it->first;
      p.pooled_bytes -= it->first;
      p.free_blocks.erase(it);
      return block;
    }
  }
  *capacity = want;
  return std::aligned_alloc(64, want);
}

void release(Napi::Env, void* data, size_t* capacity) {
  const size_t bytes = *capacity;
  delete capacity;
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  while (p.pooled_bytes + bytes > kMaxPooledBytes && !p.free_blocks.empty()) {
    auto smallest = p.free_blocks.begin();
    p.pooled_bytes -= smallest->first;
    std::free(smallest->second);
    p.free_blocks.erase(smallest);
  }
  if (bytes > kMaxPooledBytes) {
    std::free(data);
    return;
  }
  p.free_blocks.emplace(bytes, data);
  p.pooled_bytes += bytes;
}

}  // namespace

Napi::Float32Array new_result_array(Napi::Env env, size_t count) {
  const size_t bytes = count * sizeof(float);
  if (bytes < kMinPooledBytes) return Napi::Float32Array::New(env, count);
  size_t capacity = 0;
  void* block = acquire(bytes, &capacity);
  if (!block) throw std::bad_alloc();
  size_t* hint = new size_t(capacity);
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(env, block, bytes, release, hint);
  } catch (const Napi::Error&) {
    // External buffers may be disallowed (some embedders): fall back to V8's allocator.
    delete hint;
    std::free(block);
    env.GetAndClearPendingException();
    return Napi::Float32Array::New(env, count);
  }
  return Napi::Float32Array::New(env, count, buffer, 0);
}

}  // namespace rk
