#include "step_weights.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "gemm.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define RK_PACKED_MMAP 1
#endif

namespace rk {

// The copies are mapped from the system rather than taken from malloc: freeing a block of this size
// that malloc had mapped raises glibc's threshold for mapping, after which the engine's own
// megabyte arrays come from malloc's heap and, interleaved with the copies, keep it from shrinking
// (a loop packing new weights grew without bound).
namespace {

float* allocate_floats(size_t bytes) {
#ifdef RK_PACKED_MMAP
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<float*>(p);
#else
  return static_cast<float*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
#endif
}

void free_floats(float* p, size_t bytes) {
  if (!p) return;
#ifdef RK_PACKED_MMAP
  munmap(p, bytes);
#else
  (void)bytes;
  std::free(p);
#endif
}

}  // namespace

StepBlocks plan_step_blocks(const ComputeContext& e, int64_t B, int64_t F, int64_t U, int64_t G) {
  const int64_t nr = e.isa->nr;
  const double macs = static_cast<double>(B) * G * U * (F + U);
  const int threads = macs >= e.min_parallel_macs_per_step * kGemvParallelShare && U > nr ? e.threads() : 1;
  const int64_t width = one_block_width(nr, U, threads);
  return StepBlocks{threads, width, (U + width - 1) / width};
}

PackedStepWeights::~PackedStepWeights() { free_floats(kernel, bytes); }

void PackedStepWeights::release() {
  free_floats(kernel, bytes);
  kernel = rec = nullptr;
  bytes = 0;
}

namespace {

// Block by block, row by row, the gates' columns of W [rows, G*U] side by side.
void pack_rows(const PackedStepWeights& w, int64_t rows, const float* W, float* out) {
  const int64_t GU = w.G * w.U;
  for (int64_t b = 0; b < w.blocks; ++b) {
    const int64_t u0 = w.first_unit(b), n = w.block_units(b);
    float* dst = out + rows * w.G * u0;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t g = 0; g < w.G; ++g, dst += n)
        std::memcpy(dst, W + r * GU + g * w.U + u0, static_cast<size_t>(n) * sizeof(float));
  }
}

}  // namespace

std::unique_ptr<PackedStepWeights> pack_step_weights(const ComputeContext& e, Cell cell, int64_t F, int64_t U,
                                                     const float* kernel, const float* rec) {
  const int64_t G = gate_count(cell);
  const StepBlocks plan = plan_step_blocks(e, 1, F, U, G);
  if (plan.blocks <= 1) return nullptr;
  const size_t kernel_floats = static_cast<size_t>(F * G * U), rec_floats = static_cast<size_t>(U * G * U);
  // Both in one allocation, each part on whole cache lines so that every block whose width is a
  // multiple of 16 floats starts its rows on a line.
  const size_t kernel_padded = (kernel_floats + 15) / 16 * 16;
  const size_t bytes = (kernel_padded + rec_floats) * sizeof(float);
  check_result_bytes(bytes);
  auto w = std::make_unique<PackedStepWeights>();
  w->kernel = allocate_floats(bytes);
  if (!w->kernel) throw std::bad_alloc();
  w->bytes = bytes;
  w->rec = w->kernel + kernel_padded;
  w->cell = cell;
  w->F = F;
  w->U = U;
  w->G = G;
  w->width = plan.width;
  w->blocks = plan.blocks;
  pack_rows(*w, F, kernel, w->kernel);
  pack_rows(*w, U, rec, w->rec);
  return w;
}

}  // namespace rk
