#include "scratch.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

namespace rk {

static const size_t kAlign = 64;

static size_t round_up(size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

static std::string limit_message(size_t needed, size_t limit) {
  const double mb = 1024.0 * 1024.0;
  char text[256];
  std::snprintf(text, sizeof text, "the call needs more than %.0f MB of memory, above the limit of %.0f MB", needed / mb,
                limit / mb);
  return text;
}

MemoryLimitError::MemoryLimitError(size_t needed, size_t limit)
    : std::runtime_error(limit_message(needed, limit)), needed_bytes(needed), limit_bytes(limit) {}

ScratchArena::~ScratchArena() {
  for (void* p : overflow_) std::free(p);
  std::free(block_);
}

void ScratchArena::begin(size_t limit_bytes, size_t reserved_bytes) {
  total_limit_ = limit_bytes;
  reserved_ = reserved_bytes;
  limit_ = reserved_bytes < limit_bytes ? limit_bytes - reserved_bytes : 0;
  for (void* p : overflow_) std::free(p);
  overflow_.clear();
  if (high_water_ > capacity_ && high_water_ <= limit_) {
    std::free(block_);
    block_ = nullptr;
    capacity_ = 0;
    void* p = std::aligned_alloc(kAlign, round_up(high_water_));
    if (p) {
      block_ = static_cast<char*>(p);
      capacity_ = round_up(high_water_);
    }
  }
  used_ = 0;
  high_water_ = 0;
}

float* ScratchArena::floats(size_t count) {
  if (count > (SIZE_MAX - kAlign) / sizeof(float)) throw std::bad_alloc();
  const size_t bytes = round_up(count * sizeof(float) + 1);
  if (bytes > limit_ || high_water_ > limit_ - bytes) throw MemoryLimitError(reserved_ + high_water_ + bytes, total_limit_);
  high_water_ += bytes;
  if (used_ + bytes <= capacity_) {
    float* p = reinterpret_cast<float*>(block_ + used_);
    used_ += bytes;
    return p;
  }
  void* p = std::aligned_alloc(kAlign, bytes);
  if (!p) throw std::bad_alloc();
  overflow_.push_back(p);
  return static_cast<float*>(p);
}

float* ScratchArena::zeros(size_t count) {
  float* p = floats(count);
  std::memset(p, 0, count * sizeof(float));
  return p;
}

}  // namespace rk
