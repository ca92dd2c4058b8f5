#!/bin/sh
# Builds native/tools/profile_rnn with phase timers (-DRK_PROFILE) into build/profile/ and runs it.
#   sh packages/kernels/scripts/profile-native.sh <cell 0|1|2> <batch> <time> <features> <units> <threads> [simd] [iterations] [infer|step]
# e.g. W1 (LSTM 32x100x128, 256 units) on one thread:  ... profile-native.sh 1 32 100 128 256 1
#      W5 at batch 1, inference only, two threads:     ... profile-native.sh 1 1 100 128 256 2 avx512 300 infer
#      W4 as the character model runs it (one-hot x, no dx): RK_ONEHOT=1 sh ... profile-native.sh 0 128 10 60 128 2
#      W5 at batch 1 reading weights packed once, as repeated predictions do: RK_PACKED=1 sh ... 1 1 100 128 256 2 avx2 300 infer
#      W6, one-timestep calls as generation makes them (200 per iteration), weights packed: RK_PACKED=1 RK_TIMERS=0 sh ... 1 1 200 128 256 2 avx2 20 step
# RK_GAP_US=20000 sleeps that long before each call: a call that comes after the machine idled (a request to a server).
# RK_TIMERS=0 builds without the phase timers (their clock reads cost a fifth of a batch-1 call) into build/profile-plain/.
set -e
cd "$(dirname "$0")/.."
out=build/profile
timers=-DRK_PROFILE
if [ "${RK_TIMERS:-1}" = "0" ]; then
  out=build/profile-plain
  timers=
fi
flags="-std=c++17 -O3 -g -ffp-contract=off -pthread $timers -Inative"
mkdir -p "$out"
if [ ! -x "$out/profile_rnn" ] || [ -n "$(find native -newer "$out/profile_rnn" -name '*.[ch]*' -o -newer "$out/profile_rnn" -name '*.inc')" ]; then
  g++ $flags -c native/isa_avx2.cc -mavx2 -mfma -o "$out/isa_avx2.o"
  g++ $flags -Wno-maybe-uninitialized -c native/isa_avx512.cc -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma -o "$out/isa_avx512.o"
  g++ $flags native/tools/profile_rnn.cc native/compute_context.cc native/thread_pool.cc native/task_phases.cc native/owned_blocks.cc native/row_ranges.cc native/scratch.cc \
    native/gemm.cc native/rnn_common.cc native/rnn_forward.cc native/rnn_block.cc native/rnn_backward.cc native/rnn_step.cc native/sparse_rows.cc native/step_weights.cc native/isa_scalar.cc \
    "$out/isa_avx2.o" "$out/isa_avx512.o" -o "$out/profile_rnn"
fi
exec "$out/profile_rnn" "$@"
