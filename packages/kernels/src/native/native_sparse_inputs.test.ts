/**
 * Inputs with few nonzeros (one-hot text) are projected, and their kernel gradient computed, from a
 * list of the nonzeros. Those products add the same terms in the same order as the dense ones, so
 * every result equals the dense path's (setMaxSparseInputDensity(0)) exactly, on every SIMD path (the
 * gradient norms, whose per-thread partial sums vary with the threads' timing, to rounding); and
 * a kernel or gradient that is not finite (0 * inf is NaN) takes the dense path.
 */
import type { BackwardResult, ForwardRequest, ForwardResult } from '../spec';
import { forEachSimd, requireNative, withThreadedSteps } from './__tests__/native_fixture';
import { randomLossWeights } from './__tests__/finite_differences';
import { describeCase, randomRequest, seededRandom, type CaseOptions } from './__tests__/random_requests';

const { impl, addon } = requireNative();
const DEFAULT_DENSITY = addon.info().maxSparseInputDensity;

/** One-hot rows, some rows all zero, and (with `values`) some ones replaced by other values. */
function sparseInputs(req: ForwardRequest, seed: number, values: boolean): Float32Array {
  const rand = seededRandom(seed);
  const F = req.features;
  const x = new Float32Array(req.batch * req.time * F);
  for (let r = 0; r < req.batch * req.time; r++) {
    if (rand() < 0.1) continue;
    x[r * F + Math.floor(rand() * F)] = values && rand() < 0.5 ? rand() * 4 - 2 : 1;
  }
  return x;
}

type Run = ForwardResult & { grads: BackwardResult };

function run(req: ForwardRequest, seed: number): Run {
  const fwd = impl.forward(req);
  const grads = impl.backward({ ...req, workspace: fwd.workspace, ...randomLossWeights(req, seed) });
  return { ...fwd, workspace: Float32Array.from(fwd.workspace), grads };
}

function withDensity<T>(density: number, fn: () => T): T {
  addon.setMaxSparseInputDensity(density);
  try {
    return fn();
  } finally {
    addon.setMaxSparseInputDensity(DEFAULT_DENSITY);
  }
}

/** The first element (by name) where the two runs differ, comparing values with ===. */
function firstDifference(sparse: Run, dense: Run): string | null {
  const pairs: Array<[string, ArrayLike<number> | null, ArrayLike<number> | null]> = [
    ['outputs', sparse.outputs, dense.outputs], ['h', sparse.h, dense.h], ['c', sparse.c, dense.c],
    ['workspace', sparse.workspace, dense.workspace],
    ['dx', sparse.grads.dx, dense.grads.dx], ['dKernel', sparse.grads.dKernel, dense.grads.dKernel],
    ['dRecurrentKernel', sparse.grads.dRecurrentKernel, dense.grads.dRecurrentKernel], ['dBias', sparse.grads.dBias, dense.grads.dBias],
    ['dInitialH', sparse.grads.dInitialH, dense.grads.dInitialH], ['dInitialC', sparse.grads.dInitialC, dense.grads.dInitialC],
  ];
  // The gradient norms add per-thread partial sums, whose split varies from run to run with the
  // threads' timing: equal to float32 rounding only.
  for (let s = 0; s < dense.grads.dhNorms.length; s++) {
    const a = sparse.grads.dhNorms[s], b = dense.grads.dhNorms[s];
    if (!(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)) || (Number.isNaN(a) && Number.isNaN(b)))) return `dhNorms[${s}]: ${a} vs ${b}`;
  }
  for (const [name, a, b] of pairs) {
    if (a === null || b === null) {
      if ((a === null) !== (b === null)) return `${name}: null on one path only`;
      continue;
    }
    if (a.length !== b.length) return `${name}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return `${name}[${i}]: ${a[i]} vs ${b[i]}`;
    }
  }
  return null;
}

const CASES: CaseOptions[] = [
  { cell: 'simple_rnn', batch: 16, time: 6, features: 40, units: 37 },
  { cell: 'lstm', batch: 9, time: 7, features: 33, units: 70, mask: 'gaps', dropout: true, initialStates: true },
  { cell: 'gru', resetAfter: true, batch: 12, time: 5, features: 27, units: 67, goBackwards: true, mask: 'fullRow' },
  { cell: 'gru', resetAfter: false, batch: 8, time: 6, features: 50, units: 48, dropout: true, zeroOutputForMask: true, mask: 'gaps' },
  { cell: 'lstm', batch: 1, time: 9, features: 64, units: 75, initialStates: true },
  // The chapter's 60 characters (rows end in 12 columns past the last whole block of 16), and fewer than 16.
  { cell: 'simple_rnn', batch: 10, time: 5, features: 60, units: 24 },
  { cell: 'gru', resetAfter: true, batch: 7, time: 4, features: 9, units: 12 },
];

describe('sparse inputs', () => {
  test('the addon lists nonzeros at a density of 1/8 or less by default, and checks the setting', () => {
    expect(DEFAULT_DENSITY).toBe(0.125);
    expect(() => addon.setMaxSparseInputDensity(1.5)).toThrow(/setMaxSparseInputDensity: expected a fraction from 0 to 1/);
    expect(() => addon.setMaxSparseInputDensity(Number.NaN)).toThrow(/fraction from 0 to 1/);
    expect(() => (addon.setMaxSparseInputDensity as (v: unknown) => void)('0.1')).toThrow(/expected a fraction from 0 to 1/);
    expect(addon.info().maxSparseInputDensity).toBe(DEFAULT_DENSITY);
  });

  test.each(CASES.map((c, i) => [describeCase(c), c, i] as const))('equal to the dense products: %s', (_label, options, i) => {
    for (const values of [false, true]) {
      const base = randomRequest({ ...options, weightScale: 0.3, seed: 700 + i });
      const req = { ...base, x: sparseInputs(base, 710 + i, values) };
      withThreadedSteps(addon, () =>
        forEachSimd(addon, (level) => {
          const dense = withDensity(0, () => run(req, 720 + i));
          const sparse = withDensity(DEFAULT_DENSITY, () => run(req, 720 + i));
          const difference = firstDifference(sparse, dense);
          if (difference !== null) throw new Error(`${level}, ${values ? 'other values' : 'one-hot'}: ${difference}`);
        }),
      );
    }
  });

  test('inference (no workspace) and a last-step-only output take the same path', () => {
    const base = randomRequest({ cell: 'lstm', batch: 20, time: 8, features: 50, units: 40, seed: 31 });
    const req = { ...base, x: sparseInputs(base, 32, false), saveWorkspace: false, returnSequences: false };
    const dense = withDensity(0, () => impl.forward(req));
    const sparse = impl.forward(req);
    expect(Array.from(sparse.outputs)).toEqual(Array.from(dense.outputs));
    expect(Array.from(sparse.h)).toEqual(Array.from(dense.h));
  });

  test('a kernel with an infinity gives the dense results (NaN wherever 0 * inf reaches)', () => {
    const base = randomRequest({ cell: 'simple_rnn', batch: 6, time: 4, features: 30, units: 20, seed: 41 });
    const kernel = Float32Array.from(base.kernel);
    kernel[5 * 20 + 3] = Infinity;
    const req = { ...base, kernel, x: sparseInputs(base, 42, false) };
    const dense = withDensity(0, () => run(req, 43));
    const sparse = run(req, 43);
    expect(dense.outputs.some(Number.isNaN)).toBe(true);
    expect(firstDifference(sparse, dense)).toBeNull();
  });

  test('a NaN or -0 in x is listed (NaN) or skipped (-0) as the dense product treats it', () => {
    const base = randomRequest({ cell: 'gru', resetAfter: true, batch: 5, time: 4, features: 37, units: 20, seed: 45 });
    const x = sparseInputs(base, 46, true);
    x[3 * 37 + 20] = Number.NaN;
    x[7 * 37 + 33] = -0;
    const req = { ...base, x };
    const dense = withDensity(0, () => run(req, 47));
    const sparse = run(req, 47);
    expect(dense.outputs.some(Number.isNaN)).toBe(true);
    expect(firstDifference(sparse, dense)).toBeNull();
  });

  test('a gradient with an infinity gives the dense kernel gradient', () => {
    const base = randomRequest({ cell: 'simple_rnn', batch: 6, time: 4, features: 30, units: 20, seed: 51 });
    const req = { ...base, x: sparseInputs(base, 52, false), returnSequences: false };
    const grads = (density: number) => withDensity(density, () => {
      const fwd = impl.forward(req);
      const dOutputs = new Float32Array(req.batch * req.units).fill(0.1);
      dOutputs[7] = Infinity;
      return impl.backward({ ...req, workspace: fwd.workspace, dOutputs, dH: null, dC: null });
    });
    const dense = grads(0), sparse = grads(DEFAULT_DENSITY);
    expect(dense.dKernel.some(Number.isNaN)).toBe(true);
    expect(Array.from(sparse.dKernel).map(String)).toEqual(Array.from(dense.dKernel).map(String));
  });
});
