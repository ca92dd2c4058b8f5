// Stand-alone profiling driver for the recurrent kernels (no Node): times forward and backward of
// one problem and, when built with -DRK_PROFILE, prints per-phase thread-CPU and wall times.
// Built and run by scripts/profile-native.sh; also usable under valgrind --tool=callgrind.
//   profile_rnn <cell 0=simple_rnn 1=lstm 2=gru> <batch> <time> <features> <units> <threads> [simd] [iterations] [infer|step]
// With `infer`, only the inference forward runs (no workspace, as predict and generation run it).
// With `step`, each iteration runs `time` one-timestep calls (rnn_step, as generation runs it) and prints
// their median and fastest time: the step without Node's call around it.
// RK_ONEHOT=1 in the environment makes x one-hot (a character model's input: its sparse paths) and
// leaves out dx, which a model's first layer does not need. RK_PACKED=1 packs the weights once, as the
// library does for a layer it predicts with again (step_weights.h), and hands the copy to every call.
// RK_GAP_US=N sleeps N microseconds before each forward (and backward): a call that comes after the
// machine idled, as a server's requests come.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "../compute_context.h"
#include "../rnn.h"
#include "../row_ranges.h"
#include "../rnn_step.h"
#include "../step_weights.h"

using namespace rk;

static double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: %s cell batch time features units threads [simd] [iterations] [infer]\n", argv[0]);
    return 2;
  }
  RnnProblem p{};
  p.cell = static_cast<Cell>(std::atoi(argv[1]));
  p.B = std::atoi(argv[2]);
  p.T = std::atoi(argv[3]);
  p.F = std::atoi(argv[4]);
  p.U = std::atoi(argv[5]);
  set_threads(std::atoi(argv[6]));
  if (argc > 7 && !select_isa(argv[7])) {
    std::fprintf(stderr, "unknown simd %s\n", argv[7]);
    return 2;
  }
  const int iterations = argc > 8 ? std::atoi(argv[8]) : 10;
  const bool infer = argc > 9 && std::string(argv[9]) == "infer";
  const bool step = argc > 9 && std::string(argv[9]) == "step";
  p.act = ACT_TANH;
  p.ract = ACT_SIGMOID;
  p.reset_after = true;
  const int64_t GU = p.G() * p.U;
  std::vector<float> x(p.B * p.T * p.F), K(p.F * GU), R(p.U * GU), bias(2 * GU);
  unsigned seed = 1;
  auto rnd = [&]() { seed = seed * 1103515245u + 12345u; return ((seed >> 8) & 0xffff) / 32768.0f - 1.0f; };
  const char* onehot_env = std::getenv("RK_ONEHOT");
  const bool onehot = onehot_env && std::string(onehot_env) == "1";
  for (auto& v : x) v = onehot ? 0.0f : rnd();
  if (onehot)
    for (int64_t row = 0; row < p.B * p.T; ++row) x[row * p.F + (seed = seed * 1103515245u + 12345u) % p.F] = 1.0f;
  for (auto& v : K) v = 0.1f * rnd();
  for (auto& v : R) v = 0.1f * rnd();
  for (auto& v : bias) v = 0.1f * rnd();
  p.x = x.data();
  p.kernel = K.data();
  p.rec = R.data();
  p.bias = bias.data();
  WorkspaceLayout L;
  workspace_layout(p.cell, p.B, p.T, p.U, true, &L);
  std::vector<float> out(p.B * p.T * p.U), h(p.B * p.U), c(p.B * p.U), ws(L.total);
  std::vector<float> dx(p.B * p.T * p.F), dk(p.F * GU), dr(p.U * GU), db(2 * GU), dh0(p.B * p.U), dc0(p.B * p.U),
      norms(p.T), dout(p.B * p.T * p.U, 0.01f);
  const char* packed_env = std::getenv("RK_PACKED");
  std::unique_ptr<PackedStepWeights> packed;
  if (packed_env && std::string(packed_env) == "1") {
    ContextLease lease;
    packed = pack_step_weights(lease.context(), p.cell, p.F, p.U, p.kernel, p.rec);
    p.packed = packed.get();
  }
  std::printf("simd %s threads %d%s%s\n", current_isa()->name, current_threads(), onehot ? " one-hot x" : "",
              p.packed ? " packed weights" : "");
  if (step) {
    StepProblem s{};
    s.cell = p.cell;
    s.B = p.B;
    s.F = p.F;
    s.U = p.U;
    s.act = p.act;
    s.ract = p.ract;
    s.reset_after = p.reset_after;
    s.kernel = p.kernel;
    s.rec = p.rec;
    s.bias = p.bias;
    s.h = h.data();
    s.c = p.cell == CELL_LSTM ? c.data() : nullptr;
    s.packed = p.packed;
    std::vector<double> us;
    for (int it = 0; it < iterations; ++it) {
      us.clear();
      for (int64_t t = 0; t < p.T; ++t) {
        s.x = p.x + t * p.B * p.F;  // the first T*B rows of x, B at a time
        const double t0 = now_ms();
        {
          ContextLease lease;
          rnn_step(lease.context(), s);
        }
        us.push_back((now_ms() - t0) * 1000);
      }
      std::sort(us.begin(), us.end());
      std::printf("step median %8.2f us  fastest %8.2f us\n", us[us.size() / 2], us[0]);
    }
    return 0;
  }
  const char* gap_env = std::getenv("RK_GAP_US");
  for (int it = 0; it < iterations; ++it) {
    if (gap_env) std::this_thread::sleep_for(std::chrono::microseconds(std::atoi(gap_env)));
    const double t0 = now_ms();
    {
      ContextLease lease;
      rnn_forward(lease.context(), p, ForwardOutputs{out.data(), h.data(), c.data(), infer ? nullptr : ws.data()});
    }
    const double t1 = now_ms();
    if (infer) {
      std::printf("forward (inference) %8.3f ms\n", t1 - t0);
      continue;
    }
    {
      ContextLease lease;
      rnn_backward(lease.context(), p, BackwardInputs{ws.data(), dout.data(), nullptr, nullptr},
                   BackwardOutputs{onehot ? nullptr : dx.data(), dk.data(), dr.data(), db.data(), dh0.data(), dc0.data(), norms.data()});
    }
    const double t2 = now_ms();
    std::printf("forward %8.2f ms  backward %8.2f ms\n", t1 - t0, t2 - t1);
  }
  const RowRangeCounts counts = row_range_counts();
  if (counts.takeovers + counts.splits > 0)
    std::fprintf(stderr, "row ranges: %llu taken over, %llu split\n", static_cast<unsigned long long>(counts.takeovers),
                 static_cast<unsigned long long>(counts.splits));
  return 0;
}
