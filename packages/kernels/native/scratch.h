// Scratch memory for one call. Requests are carved from one reusable block (64-byte aligned), so
// repeated calls of the same size allocate nothing and touch no fresh pages; a call that needs
// more than the block gets separate allocations, and the block grows before the next call.
// A call's scratch is capped: a request beyond the cap throws MemoryLimitError before allocating.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace rk {

// A call would need more memory than the limit allows (see memory_limit_bytes()).
class MemoryLimitError : public std::runtime_error {
 public:
  MemoryLimitError(size_t needed_bytes, size_t limit_bytes);
  size_t needed_bytes;
  size_t limit_bytes;
};

class ScratchArena {
 public:
  ScratchArena() = default;
  ~ScratchArena();
  ScratchArena(const ScratchArena&) = delete;
  ScratchArena& operator=(const ScratchArena&) = delete;

  // Starts a call that may use up to limit_bytes of memory, of which its results take
  // reserved_bytes: grows the block to the largest total seen so far (within the limit); frees
  // overflow allocations.
  void begin(size_t limit_bytes, size_t reserved_bytes);
  // Uninitialised floats, 64-byte aligned; throws MemoryLimitError beyond the call's limit and
  // std::bad_alloc when memory runs out.
  float* floats(size_t count);
  float* zeros(size_t count);

 private:
  char* block_ = nullptr;
  size_t capacity_ = 0;
  size_t used_ = 0;
  size_t high_water_ = 0;
  size_t limit_ = SIZE_MAX;  // for scratch: the call's limit less its reserved bytes
  size_t total_limit_ = SIZE_MAX;
  size_t reserved_ = 0;
  std::vector<void*> overflow_;
};

}  // namespace rk
