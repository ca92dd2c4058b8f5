// Scratch memory for one call. Requests are carved from one reusable block (64-byte aligned), so
// repeated calls of the same size allocate nothing and touch no fresh pages; a call that needs
// more than the block gets separate allocations, and the block grows before the next call.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rk {

class ScratchArena {
 public:
  ScratchArena() = default;
  ~ScratchArena();
  ScratchArena(const ScratchArena&) = delete;
  ScratchArena& operator=(const ScratchArena&) = delete;

  // Starts a call: grows the block to the largest total seen so far; frees overflow allocations.
  void begin();
  // Uninitialised floats, 64-byte aligned; throws std::bad_alloc when memory runs out.
  float* floats(size_t count);
  float* zeros(size_t count);

 private:
  char* block_ = nullptr;
  size_t capacity_ = 0;
  size_t used_ = 0;
  size_t high_water_ = 0;
  std::vector<void*> overflow_;
};

}  // namespace rk
