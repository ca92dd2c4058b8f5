#include "scratch.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace rk {

static const size_t kAlign = 64;

static size_t round_up(size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

ScratchArena::~ScratchArena() {
  for (void* p : overflow_) std::free(p);
  std::free(block_);
}

void ScratchArena::begin() {
  for (void* p : overflow_) std::free(p);
  overflow_.clear();
  if (high_water_ > capacity_) {
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
