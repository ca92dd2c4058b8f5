/**
 * Batches larger than `ownedBlocksMaxBatch` rows whose recurrent weights take at most
 * `rowBlocksMaxWeightBytes` run their threaded time loops (forward and backward) as one block of batch
 * rows per thread for the whole call (rebalanced while it runs), every unit of those rows, instead of a phase per step split by
 * units. A row's sums are the same whichever rows share its products, and the weight gradients are the
 * same GEMMs after the loop, so every result must be the bits of the loop on one thread: the forward's
 * outputs, final states and training workspace, and the backward's dx, kernel, recurrent kernel and bias
 * gradients and the gradients of the initial states. The per-step gradient norms sum their squares
 * in another order and are compared to a relative 1e-6. Cases: every cell (GRU both ways), every
 * activation pair, masks, dropout, go_backwards, return_sequences both ways, one-hot inputs, batches
 * that split unevenly, two, three and four threads (more than this machine may have cores), a
 * sequence projected a chunk at a time, on every SIMD path; ranges taken over and split while the loop runs
 * (workers made to lag), and the gradient norms the same bits on every run however the rows moved; and
 * weights above the bound, which keep the loop split by units.
 */
import type { BackwardResult, ForwardRequest, ForwardResult } from '../spec';
import { requireNative, withThreadedSteps, withThreads } from './__tests__/native_fixture';
import { CELL_VARIANTS, randomRequest, seededRandom, type CaseOptions } from './__tests__/random_requests';
import { expectSameAsOneThread, threadedRequest, variedCase, type ThreadedCase } from './__tests__/threaded_cases';
import { sameBits } from './__tests__/step_requests';

const { impl, addon } = requireNative();
const MIN_BATCH = addon.info().ownedBlocksMaxBatch + 1;
const MAX_WEIGHT_BYTES = addon.info().rowBlocksMaxWeightBytes;

const CASES: ThreadedCase[] = CELL_VARIANTS.flatMap((variant, v) =>
  Array.from({ length: 8 }, (_, i): ThreadedCase => {
    const k = 5 * v + i, oneHot = k % 5 === 4;
    return variedCase(variant, k, {
      batch: MIN_BATCH + [0, 1, 4, 7, 24][k % 5],
      time: [6, 1, 11][k % 3],
      features: oneHot ? 24 : [7, 20, 1][k % 3],
      units: [37, 5, 64, 33][k % 4],
      seed: 900 + k,
    }, oneHot, true);
  }),
);

interface Run {
  forward: ForwardResult;
  backward: BackwardResult;
}

/** The forward and backward of `req`, their arrays copied out (results may be recycled by later calls). */
function run(req: ForwardRequest): Run {
  const f = impl.forward(req);
  const forward = { outputs: f.outputs.slice(), h: f.h.slice(), c: f.c?.slice() ?? null, workspace: f.workspace.slice() };
  const rand = seededRandom(req.batch * 31 + req.units);
  const uniform = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  const BU = req.batch * req.units;
  const g = impl.backward({
    ...req, workspace: f.workspace, dOutputs: uniform(req.returnSequences ? BU * req.time : BU), dH: uniform(BU),
    dC: req.cell === 'lstm' ? uniform(BU) : null,
  });
  const backward = {
    dx: g.dx.slice(), dKernel: g.dKernel.slice(), dRecurrentKernel: g.dRecurrentKernel.slice(), dBias: g.dBias?.slice() ?? null,
    dInitialH: g.dInitialH.slice(), dInitialC: g.dInitialC?.slice() ?? null, dhNorms: g.dhNorms.slice(),
  };
  return { forward, backward };
}

function firstDifference(actual: Run, expected: Run): string | null {
  for (const name of ['outputs', 'h', 'c', 'workspace'] as const) {
    if (!sameBits(actual.forward[name], expected.forward[name])) return `forward ${name}`;
  }
  for (const name of ['dx', 'dKernel', 'dRecurrentKernel', 'dBias', 'dInitialH', 'dInitialC'] as const) {
    if (!sameBits(actual.backward[name], expected.backward[name])) return `backward ${name}`;
  }
  const norms = actual.backward.dhNorms, reference = expected.backward.dhNorms;
  for (let s = 0; s < reference.length; s++) {
    if (!(Math.abs(norms[s] - reference[s]) <= 1e-6 * Math.abs(reference[s]) + 1e-30)) return `dhNorms[${s}]`;
  }
  return null;
}

function expectThreadedEqualsOneThread(cases: ThreadedCase[], threadCounts: number[]): void {
  expectSameAsOneThread(addon, cases, threadCounts, run, firstDifference);
}

describe('the time loops of larger batches split by rows give the one-thread bits', () => {
  test('the bound on the weights admits LSTM(256) and not LSTM(320)', () => {
    expect(256 * 1024 * 4).toBeLessThanOrEqual(MAX_WEIGHT_BYTES);
    expect(320 * 1280 * 4).toBeGreaterThan(MAX_WEIGHT_BYTES);
  });

  test.each(CELL_VARIANTS.map((v) => [v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : ''), v] as const))(
    '%s: forward and backward, every SIMD path, two to four threads',
    (_name, variant) => {
      expectThreadedEqualsOneThread(CASES.filter((c) => c.options.cell === variant.cell && c.options.resetAfter === variant.resetAfter), [2, 3, 4]);
    },
  );

  test('ranges rebalanced while the loop runs (taken over, split at a step) give the same bits', () => {
    // The workers lag before each step (setRowStepLag), so the caller finishes its range first and asks for
    // half of theirs, again and again; every result must still be the one-thread bits. Batches that split
    // unevenly, rows not a multiple of the row group, every cell variant and the options variedCase turns through.
    const group = addon.info().rowRangeGroup;
    const cases = CELL_VARIANTS.flatMap((variant, v) =>
      [70, 41, 200].map((batch, i) => variedCase(variant, 3 * v + i, { batch, time: [5, 9, 3][i], features: [9, 24, 3][i],
        units: [21, 40, 8][i], seed: 960 + 3 * v + i }, i === 1, true)),
    );
    expect(cases.some((c) => c.options.batch! % group !== 0)).toBe(true);
    const before = addon.rowRangeCounts();
    addon.setRowStepLag(150);
    try {
      expectThreadedEqualsOneThread(cases, [2, 3]);
    } finally {
      addon.setRowStepLag(0);
    }
    const after = addon.rowRangeCounts();
    expect(after.splits - before.splits).toBeGreaterThan(cases.length); // the split path ran, many times
  });

  test('the per-step gradient norms are the same bits on every run, however the rows moved between threads', () => {
    // Each group of rows adds its squares into a slot of its own, summed in row order: which thread ran which
    // rows (it changes from run to run, and with the lag the rows move at different steps) does not change it.
    const req = threadedRequest(variedCase(CELL_VARIANTS[1], 0, { batch: 160, time: 8, features: 6, units: 24, seed: 971 }, false, true));
    withThreadedSteps(addon, () => withThreads(addon, 2, () => {
      const first = run(req).backward.dhNorms;
      for (let i = 0; i < 12; i++) {
        addon.setRowStepLag(i % 3 === 0 ? 0 : 40 * i);
        try {
          if (!sameBits(run(req).backward.dhNorms, first)) throw new Error(`run ${i + 2}: dhNorms differ from the first run`);
        } finally {
          addon.setRowStepLag(0);
        }
      }
    }));
  });

  test('setRowStepLag takes 0 to 10000 microseconds and refuses anything else', () => {
    for (const bad of [-1, 10001, Number.NaN, Infinity]) expect(() => addon.setRowStepLag(bad)).toThrow(/setRowStepLag: expected microseconds from 0 to 10000/);
    expect(() => (addon.setRowStepLag as (v: unknown) => void)('5')).toThrow(/setRowStepLag: expected microseconds/);
    addon.setRowStepLag(0);
  });

  test('a sequence projected a chunk at a time (inference beyond 4 MB of gates), backwards with a mask', () => {
    // 40 rows x 1024 gate columns: 160 KB a step, 25 steps a chunk, so 60 steps make three chunks.
    const options: CaseOptions = { cell: 'lstm', batch: 40, time: 60, features: 16, units: 256, goBackwards: true, mask: 'gaps',
      initialStates: true, weightScale: 0.07, seed: 941 };
    withThreadedSteps(addon, () => {
      const req = { ...randomRequest(options), returnSequences: true, saveWorkspace: false };
      const copy = (r: ForwardResult) => ({ outputs: r.outputs.slice(), h: r.h.slice(), c: r.c?.slice() ?? null });
      const reference = withThreads(addon, 1, () => copy(impl.forward(req)));
      for (const threads of [2, 3]) {
        const result = withThreads(addon, threads, () => copy(impl.forward(req)));
        for (const name of ['outputs', 'h', 'c'] as const) {
          if (!sameBits(result[name], reference[name])) throw new Error(`${threads} threads: ${name} differs from one thread`);
        }
      }
    });
  });

  test('recurrent weights above the bound keep the loop split by units, with the same bits', () => {
    const cases: ThreadedCase[] = [
      { options: { cell: 'lstm', batch: MIN_BATCH + 3, time: 3, features: 5, units: 320, mask: 'gaps', initialStates: true,
        weightScale: 0.06, seed: 951 }, returnSequences: true, saveWorkspace: true, oneHot: false },
      { options: { cell: 'gru', resetAfter: false, batch: MIN_BATCH, time: 2, features: 4, units: 420, dropout: true,
        weightScale: 0.05, seed: 952 }, returnSequences: false, saveWorkspace: true, oneHot: false },
    ];
    for (const c of cases) {
      const { units, cell } = c.options;
      expect(units! * units! * (cell === 'lstm' ? 4 : 3) * 4).toBeGreaterThan(MAX_WEIGHT_BYTES);
    }
    expectThreadedEqualsOneThread(cases, [2]);
  });
});
