#include "conv1d.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "gemm.h"
#include "gemm_tfjs.h"
#include "task_phases.h"

namespace rk {
namespace {

// Depth of one pass of the micro-kernel over a panel (the L1-sized block of gemm.cc).
const int64_t kDepth = 256;
// Below this many multiply-adds a call runs on one thread (as a matrix product does).
const double kMinParallelMacs = 1.0e6;
// Rows of C one task computes: a block of A of about 256 rows x one depth block stays in L2.
const int64_t kTaskRows = 256;

// A run of consecutive rows of the flattened kernel [taps*channels, filters] whose inputs are
// consecutive floats of a row of x: all taps at once without dilation (the window is contiguous),
// else one tap at a time.
struct Segment {
  int64_t k0;        // first row of the flattened kernel
  int64_t x_offset;  // floats from the window's first step to the segment's first input
  int64_t width;     // rows of the kernel = floats of x
};

std::vector<Segment> segments_of(const Conv1DProblem& p) {
  if (p.dilation == 1 || p.taps == 1) return {Segment{0, 0, p.taps * p.channels}};
  std::vector<Segment> s;
  for (int64_t j = 0; j < p.taps; ++j) s.push_back(Segment{j * p.channels, j * p.dilation * p.channels, p.channels});
  return s;
}

int threads_for(const ComputeContext& e, double macs) { return macs >= kMinParallelMacs ? e.threads() : 1; }

// Panel groups per row block so that there are about four tasks per thread.
int64_t panel_groups(int64_t row_tasks, int64_t panels, int nt) {
  if (panels <= 0) return 1;
  return std::min<int64_t>(panels, std::max<int64_t>(1, (4 * nt + row_tasks - 1) / row_tasks));
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

void zero_rows(float* c, int64_t rows, int64_t cols, int64_t ldc) {
  for (int64_t r = 0; r < rows; ++r) std::memset(c + r * ldc, 0, static_cast<size_t>(cols) * sizeof(float));
}

// C (=|+=) A·B over depth [k0, k0+depth) of the panels, in L1-sized passes; `accumulate` for the first.
void panels_product(const IsaTable* isa, int64_t rows, int64_t k0, int64_t depth, const float* A, int64_t a_rs,
                    int64_t a_cs, const BPanels& B, int64_t j0, int64_t j1, float* C, int64_t ldc, bool accumulate) {
  for (int64_t p0 = 0; p0 < depth; p0 += kDepth) {
    const int64_t kc = std::min(kDepth, depth - p0);
    gemm_panels(isa, rows, k0 + p0, kc, A + p0 * a_cs, a_rs, a_cs, B, j0, j1, C, ldc, accumulate || p0 > 0);
  }
}

// A task grid: `items` x row blocks of `rows` x panel groups.
struct Grid {
  int64_t items, row_block, row_blocks, groups, per_group;
  Grid(int64_t items_, int64_t rows, int64_t row_block_, int64_t panels, int nt)
      : items(items_), row_block(row_block_), row_blocks(ceil_div(rows, row_block_)) {
    groups = panel_groups(items * row_blocks, panels, nt);
    per_group = panels > 0 ? ceil_div(panels, groups) : 0;
    groups = panels > 0 ? ceil_div(panels, per_group) : 1;
  }
  int64_t count() const { return items * row_blocks * groups; }
  // Task t as (item, first row, first panel, end panel).
  void unpack(int64_t t, int64_t panels, int64_t* item, int64_t* r0, int64_t* j0, int64_t* j1) const {
    *item = t / (row_blocks * groups);
    const int64_t rest = t % (row_blocks * groups);
    *r0 = (rest / groups) * row_block;
    *j0 = (rest % groups) * per_group;
    *j1 = std::min(panels, *j0 + per_group);
  }
};

int64_t task_rows(const IsaTable* isa) { return std::max<int64_t>(isa->mr, kTaskRows / isa->mr * isa->mr); }

// dKernel = sum over b, t of patch(b, t)^T · dy[b, t]: a task per block of kernel rows (within one
// segment) and group of filter panels, summing over the whole batch; dy is read in place as panels.
void kernel_gradient(const ComputeContext& e, const Conv1DProblem& p, const float* dy, float* d_kernel) {
  const std::vector<Segment> segs = segments_of(p);
  const int64_t width = segs[0].width;  // every segment has the same width
  const int64_t rows_total = p.batch * p.steps;
  const BPanels bp = direct_b(e, rows_total, p.filters, dy, p.filters);
  const int nt = threads_for(e, static_cast<double>(rows_total) * p.filters * p.taps * p.channels);
  // Each task streams all of dy: blocks of 64 rows keep that reading small against the arithmetic.
  const int64_t row_block = std::max<int64_t>(e.isa->mr, 64 / e.isa->mr * e.isa->mr);
  const Grid grid(static_cast<int64_t>(segs.size()), width, row_block, bp.panels, nt);
  const int64_t offsets[2] = {0, grid.count()};
  const int64_t x_row = p.stride * p.channels;
  PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t t) {
    int64_t s, i0, j0, j1;
    grid.unpack(t, bp.panels, &s, &i0, &j0, &j1);
    const Segment& seg = segs[s];
    const int64_t rows = std::min(grid.row_block, width - i0);
    float* out = d_kernel + (seg.k0 + i0) * p.filters;
    for (int64_t b = 0; b < p.batch; ++b) {
      const float* a = p.x + b * p.length * p.channels + seg.x_offset + i0;
      panels_product(e.isa, rows, b * p.steps, p.steps, a, 1, x_row, bp, j0, j1, out, p.filters, b > 0);
    }
  });
}

// dx[b, t*stride + j*dilation] += dy[b, t] · kernel[j]^T: a task per (batch row, block of input steps,
// group of channel panels) zeroes its block, then adds every tap's contribution to it, so no two
// tasks write the same element. The kernel's taps are packed transposed first (phase 0).
void input_gradient(const ComputeContext& e, const Conv1DProblem& p, const float* dy, float* dx) {
  const int nr = e.isa->nr;
  const int64_t panels = ceil_div(p.channels, nr);
  const int64_t tap_floats = panels * p.filters * nr;
  float* packed = e.scratch->floats(static_cast<size_t>(p.taps * tap_floats));
  std::vector<BPanels> taps(static_cast<size_t>(p.taps));
  for (int64_t j = 0; j < p.taps; ++j) {
    BPanels& bp = taps[static_cast<size_t>(j)];
    bp.nr = nr;
    bp.k = p.filters;
    bp.n = p.channels;
    bp.panels = panels;
    bp.packed = packed + j * tap_floats;
  }
  const int nt = threads_for(e, static_cast<double>(p.batch) * p.steps * p.filters * p.taps * p.channels);
  const Grid grid(p.batch, p.length, task_rows(e.isa), panels, nt);
  const int64_t pack_tasks = p.taps * panels;
  const int64_t offsets[3] = {0, pack_tasks, pack_tasks + grid.count()};
  PhaseRunner(2, offsets).run(e, nt, [&](int, int64_t phase, int64_t t) {
    if (phase == 0) {
      const int64_t j = t / panels, panel = t % panels;
      pack_b_panel(true, p.filters, p.channels, p.kernel + j * p.channels * p.filters, p.filters, nr, panel,
                   packed + j * tap_floats + panel * p.filters * nr);
      return;
    }
    int64_t b, l0, j0, j1;
    grid.unpack(t, panels, &b, &l0, &j0, &j1);
    const int64_t l1 = std::min(p.length, l0 + grid.row_block);
    const int64_t c0 = j0 * nr, c1 = std::min(p.channels, j1 * nr);
    float* dxb = dx + b * p.length * p.channels;
    zero_rows(dxb + l0 * p.channels + c0, l1 - l0, c1 - c0, p.channels);
    for (int64_t j = 0; j < p.taps; ++j) {
      // Output steps t whose tap j reads an input step in [l0, l1).
      const int64_t off = j * p.dilation;
      if (l1 <= off) continue;
      const int64_t t0 = l0 <= off ? 0 : ceil_div(l0 - off, p.stride);
      const int64_t t1 = std::min(p.steps, ceil_div(l1 - off, p.stride));
      if (t1 <= t0) continue;
      panels_product(e.isa, t1 - t0, 0, p.filters, dy + (b * p.steps + t0) * p.filters, p.filters, 1,
                     taps[static_cast<size_t>(j)], j0, j1, dxb + (t0 * p.stride + off) * p.channels, p.stride * p.channels,
                     true);
    }
  });
}

}  // namespace

int64_t conv1d_steps(int64_t length, int64_t taps, int64_t stride, int64_t dilation) {
  if (taps < 1 || stride < 1 || dilation < 1) return -1;
  const int64_t span = dilation * (taps - 1) + 1;
  if (length < span) return -1;
  return (length - span) / stride + 1;
}

void conv1d_bias_activation(int64_t rows, int64_t filters, const float* bias, bool relu, float* y) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * filters;
    if (bias != nullptr)
      for (int64_t f = 0; f < filters; ++f) row[f] += bias[f];
    if (relu)
      for (int64_t f = 0; f < filters; ++f) row[f] = (row[f] > 0.0f || row[f] != row[f]) ? row[f] : 0.0f;
  }
}

void relu_output_gradient(int64_t n, const float* dy, const float* y, float* dz) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t i = 0; i < n; ++i) dz[i] = y[i] > 0.0f ? dy[i] : (y[i] != y[i] ? nan : dy[i] * 0.0f);
}

void bias_gradient(const ComputeContext& e, int64_t rows, int64_t filters, const float* dz, float* d_bias) {
  float* ones = e.scratch->floats(static_cast<size_t>(rows));
  std::fill(ones, ones + rows, 1.0f);
  tfjs_matmul(e, false, false, 1, filters, rows, ones, rows, dz, filters, d_bias, filters);
}

void conv1d_forward(const ComputeContext& e, const Conv1DProblem& p, float* y) {
  const int64_t depth = p.taps * p.channels;
  if (p.batch == 0 || p.steps == 0 || p.filters == 0) return;
  if (depth == 0) return zero_rows(y, p.batch * p.steps, p.filters, p.filters);
  const BPanels bp = pack_b(e, false, depth, p.filters, p.kernel, p.filters);
  const std::vector<Segment> segs = segments_of(p);
  const int nt = threads_for(e, static_cast<double>(p.batch) * p.steps * p.filters * depth);
  const Grid grid(p.batch, p.steps, task_rows(e.isa), bp.panels, nt);
  const int64_t offsets[2] = {0, grid.count()};
  const int64_t x_row = p.stride * p.channels;
  PhaseRunner(1, offsets).run(e, nt, [&](int, int64_t, int64_t t) {
    int64_t b, t0, j0, j1;
    grid.unpack(t, bp.panels, &b, &t0, &j0, &j1);
    const int64_t rows = std::min(grid.row_block, p.steps - t0);
    const float* xb = p.x + b * p.length * p.channels + t0 * x_row;
    float* yb = y + (b * p.steps + t0) * p.filters;
    for (size_t s = 0; s < segs.size(); ++s)
      panels_product(e.isa, rows, segs[s].k0, segs[s].width, xb + segs[s].x_offset, x_row, 1, bp, j0, j1, yb, p.filters,
                     s > 0);
  });
}

void conv1d_backward(const ComputeContext& e, const Conv1DProblem& p, const float* dy, float* dx, float* d_kernel) {
  const int64_t depth = p.taps * p.channels;
  if (p.filters == 0 || p.batch * p.steps == 0 || depth == 0) {
    // Nothing reaches the kernel or the input: both gradients are zero.
    std::memset(d_kernel, 0, static_cast<size_t>(depth * p.filters) * sizeof(float));
    if (dx) std::memset(dx, 0, static_cast<size_t>(p.batch * p.length * p.channels) * sizeof(float));
    return;
  }
  kernel_gradient(e, p, dy, d_kernel);
  if (dx) input_gradient(e, p, dy, dx);
}

}  // namespace rk
