// The weights of a one-timestep call rearranged by block of units (rnn_step.h), kept between calls.
//
// A step splits the units into one block per thread, and each block reads its units' columns of
// every gate in K and R. In the layers' own layout ([rows, G*U]) those columns are G short pieces of
// each row, G*U floats apart: the block's reads jump at every piece, and on a machine whose L2 does
// not hold the weights (LSTM(256): 1.5 MB) each jump waits on L3. Packed, a block's rows follow one
// another ([rows][G][n]): one sequential stream that the prefetchers run ahead of. A generator calls
// the step thousands of times with the same weights, so packing once pays at the second call.
//
// Any block width gives the same sums (each adds its terms in row order from zero), so a packed copy
// stays valid whatever the thread count or instruction set becomes; it only stops being the fastest.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "compute_context.h"
#include "rnn.h"

namespace rk {

// How a step of B rows splits the units: `threads` take `blocks` blocks of `width` units (the last
// may be narrower), each a multiple of the micro-kernel width.
struct StepBlocks {
  int threads;
  int64_t width, blocks;
};
StepBlocks plan_step_blocks(const ComputeContext& e, int64_t B, int64_t F, int64_t U, int64_t G);

struct PackedStepWeights {
  Cell cell = CELL_SIMPLE_RNN;
  int64_t F = 0, U = 0, G = 0, width = 0, blocks = 0;
  // Block b (units [u0, u0 + n), u0 = b * width) starts at F*G*u0 in kernel and U*G*u0 in rec; its
  // row r holds the gates' columns one after the other: [g * n + j] = W[r, g*U + u0 + j].
  float* kernel = nullptr;  // owns the allocation of both
  float* rec = nullptr;
  size_t bytes = 0;  // of both, for the engine's external-memory count

  PackedStepWeights() = default;
  PackedStepWeights(const PackedStepWeights&) = delete;
  PackedStepWeights& operator=(const PackedStepWeights&) = delete;
  ~PackedStepWeights();
  // Frees the copy now (its owner will not step with it again); a step refuses it afterwards.
  void release();
  bool released() const { return kernel == nullptr; }
  int64_t first_unit(int64_t block) const { return block * width; }
  int64_t block_units(int64_t block) const {
    const int64_t u0 = first_unit(block);
    return U - u0 < width ? U - u0 : width;
  }
  const float* kernel_block(int64_t block) const { return kernel + F * G * first_unit(block); }
  const float* rec_block(int64_t block) const { return rec + U * G * first_unit(block); }
};

// The packed copy of kernel [F, G*U] and rec [U, G*U] for a step of batch 1, or null when a step
// reads them in one block (one thread: its rows are already sequential) and a copy would gain
// nothing. Throws MemoryLimitError beyond the memory limit, std::bad_alloc when memory runs out.
std::unique_ptr<PackedStepWeights> pack_step_weights(const ComputeContext& e, Cell cell, int64_t F, int64_t U,
                                                     const float* kernel, const float* rec);

}  // namespace rk
