/**
 * How the benchmarks start PyTorch (/usr/bin/python3, Debian's python3-torch): the interpreter, the
 * environment of its process, and what to say when it fails.
 *
 * Debian's OpenBLAS 0.3.21 does not recognise recent Intel cores and falls back to its AVX2 kernels
 * unless OPENBLAS_CORETYPE names an AVX-512 core (SkylakeX); on a CPU without AVX-512 that same setting
 * kills the process with an illegal instruction. So the PyTorch process gets SkylakeX when the CPU has
 * AVX-512 and nothing is set, and loses an AVX-512 core type the CPU cannot run (with a warning);
 * OpenBLAS then picks its own kernels (Zen on an AMD EPYC).
 */
'use strict';
const fs = require('fs');

const PYTHON = '/usr/bin/python3';
// OpenBLAS core types whose kernels use AVX-512 (OpenBLAS compares the names without case).
const AVX512_CORETYPES = new Set(['skylakex', 'cooperlake', 'sapphirerapids']);

/** Whether the CPU has AVX-512 (Linux: the avx512f flag of /proc/cpuinfo); false where that cannot be read. */
function cpuHasAvx512(cpuinfoPath = '/proc/cpuinfo') {
  try {
    return /^flags\s*:.*\bavx512f\b/m.test(fs.readFileSync(cpuinfoPath, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The environment for a PyTorch process: `env` with OPENBLAS_CORETYPE fitted to the CPU, and the
 * warning to print, if any ({ env, warning }). `env` itself is not changed.
 */
function pytorchEnv(env = process.env, hasAvx512 = cpuHasAvx512()) {
  const out = { ...env };
  const set = env.OPENBLAS_CORETYPE;
  if (set === undefined || set === '') {
    if (hasAvx512) out.OPENBLAS_CORETYPE = 'SkylakeX';
    return { env: out, warning: null };
  }
  if (!hasAvx512 && AVX512_CORETYPES.has(set.toLowerCase())) {
    delete out.OPENBLAS_CORETYPE;
    return {
      env: out,
      warning: `OPENBLAS_CORETYPE=${set} needs AVX-512, which this CPU does not have: PyTorch runs without it (OpenBLAS picks its own kernels). Unset it on this machine.`,
    };
  }
  return { env: out, warning: null };
}

let warned = false;
let avx512 = null;  // read from /proc/cpuinfo once
/** pytorchEnv() for this process's environment and CPU, printing its warning once (on stderr). */
function pythonEnv() {
  if (avx512 === null) avx512 = cpuHasAvx512();
  const { env, warning } = pytorchEnv(process.env, avx512);
  if (warning && !warned) {
    warned = true;
    console.error(`[bench] ${warning}`);
  }
  return env;
}

/** Why a spawnSync of a script (Python, or a Node child) failed, in one line: its last line of stderr, or the signal that ended it. */
function scriptFailure(script, run) {
  if (run.error) return `${script} could not start: ${run.error.message}`;
  if (run.signal) {
    const hint = run.signal === 'SIGILL' ? ' (an instruction this CPU lacks: check OPENBLAS_CORETYPE)' : '';
    return `${script} was killed by ${run.signal}${hint}`;
  }
  const last = (run.stderr || '').trim().split('\n').pop();
  return `${script} failed (exit ${run.status})${last ? `: ${last.slice(0, 500)}` : ''}`;
}

module.exports = { PYTHON, cpuHasAvx512, pytorchEnv, pythonEnv, scriptFailure };
