#include "result_buffers.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

namespace rk {
namespace {

// Results smaller than this come from V8's own allocator.
const size_t kMinPooledBytes = 256 * 1024;
// Blocks kept for reuse at most (beyond it, returned blocks are freed).
const size_t kMaxPooledBytes = size_t(512) * 1024 * 1024;

// What the finalizer of one external buffer gets. `recycled` is set when the block went back to the
// pool early (recycle_result_array); the block may then belong to a newer buffer, so the finalizer
// must leave it alone.
struct BlockOwner {
  size_t capacity;
  bool recycled;
};

struct Pool {
  std::mutex mutex;
  std::multimap<size_t, void*> free_blocks;  // capacity -> block
  size_t pooled_bytes = 0;
  std::unordered_map<void*, BlockOwner*> in_use;  // block -> the buffer that owns it now
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

// Puts a block on the free list (the pool's mutex held).
void return_block(Pool& p, void* data, size_t bytes) {
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

void release(Napi::Env, void* data, BlockOwner* owner) {
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!owner->recycled) {
      p.in_use.erase(data);
      return_block(p, data, owner->capacity);
    }
  }
  delete owner;
}

}  // namespace

bool recycle_result_array(Napi::Env, Napi::Float32Array array) {
  Napi::ArrayBuffer buffer = array.ArrayBuffer();
  void* data = buffer.Data();
  if (data == nullptr || array.ByteOffset() != 0 || array.ByteLength() != buffer.ByteLength()) return false;
  Pool& p = pool();
  BlockOwner* owner = nullptr;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    auto it = p.in_use.find(data);
    if (it == p.in_use.end()) return false;
    owner = it->second;
  }
  buffer.Detach();  // before the block can be handed out again
  std::lock_guard<std::mutex> lock(p.mutex);
  auto it = p.in_use.find(data);
  if (it == p.in_use.end() || it->second != owner) return false;
  owner->recycled = true;
  p.in_use.erase(it);
  return_block(p, data, owner->capacity);
  return true;
}

Napi::Float32Array new_result_array(Napi::Env env, size_t count) {
  const size_t bytes = count * sizeof(float);
  if (bytes < kMinPooledBytes) return Napi::Float32Array::New(env, count);
  size_t capacity = 0;
  void* block = acquire(bytes, &capacity);
  if (!block) throw std::bad_alloc();
  BlockOwner* owner = new BlockOwner{capacity, false};
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(env, block, bytes, release, owner);
  } catch (const Napi::Error&) {
    // External buffers may be disallowed (some embedders): fall back to V8's allocator.
    delete owner;
    std::free(block);
    env.GetAndClearPendingException();
    return Napi::Float32Array::New(env, count);
  }
  {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    p.in_use[block] = owner;
  }
  return Napi::Float32Array::New(env, count, buffer, 0);
}

}  // namespace rk
