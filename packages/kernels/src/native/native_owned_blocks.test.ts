/**
 * Batches up to `ownedBlocksMaxBatch` rows run a threaded forward time loop as one block of units per
 * thread for the whole sequence: each block projects its inputs onto its own gate columns and packs its
 * own recurrent weights, and the threads meet once per step. Its results must be the bits of the loop
 * it replaces, so every result (outputs, final states, the training workspace) is compared bit for bit
 * with the forward on one thread, which runs the task-per-block loop one task after the other: every
 * cell (GRU both ways), every activation pair the fused kernels take, masks, dropout, go_backwards,
 * return_sequences both ways, odd unit counts, one-hot inputs, a sequence projected in chunks, batches
 * from 1 to past the switch-over, two, three and four threads (more than this machine may have cores,
 * so that blocks are taken over from late threads), on every SIMD path. Without masks or dropout the
 * outputs are also those of the one-step entry called once per timestep, which sums its products in
 * its own code. The products of a few rows load each weight vector once for all of them (up to three
 * rows on AVX-512, two on AVX2), larger batches run the micro-kernel's tiles: every row of a batch,
 * whichever kernel made it, is also the bits of that row run alone.
 */
import type { ForwardRequest, ForwardResult } from '../spec';
import { forEachSimd, requireNative, withThreadedSteps, withThreads } from './__tests__/native_fixture';
import { CELL_VARIANTS, type CaseOptions } from './__tests__/random_requests';
import { describeThreadedCase as label, expectSameAsOneThread, threadedRequest as requestOf, variedCase, type ThreadedCase } from './__tests__/threaded_cases';
import { sameBits, stepRequestOf } from './__tests__/step_requests';

const { impl, addon } = requireNative();
const MAX_BATCH = addon.info().ownedBlocksMaxBatch;

/**
 * For every cell and batch from 1 to two past the switch-over: a long sequence of several unit blocks
 * (from 8 steps, a matrix-vector loop packs each block's weight rows first) and a short one of any
 * width (one unit: a single block, one thread); the other options vary from case to case.
 */
const CASES: ThreadedCase[] = CELL_VARIANTS.flatMap((variant, v) =>
  Array.from({ length: 2 * (MAX_BATCH + 2) }, (_, i): ThreadedCase => {
    const k = 7 * v + i, long = i % 2 === 0, oneHot = k % 6 === 5;
    return variedCase(variant, k, {
      batch: (i >> 1) + 1,
      time: long ? [9, 13][k % 2] : [1, 4, 7][k % 3],
      features: oneHot ? 24 : [7, 20, 1][k % 3],  // one-hot rows of 24: sparse enough for the list of nonzeros
      units: long ? [37, 64, 96, 70][k % 4] : [5, 1, 40, 33][k % 4],
      seed: 500 + k,
    }, oneHot, (k >> 2) % 2 === 1);
  }),
);

/** Row b of a request: the same sequence as a batch of one. */
function rowOf(req: ForwardRequest, b: number): ForwardRequest {
  const { time: T, features: F, units: U } = req;
  const rows = (a: Float32Array | null, width: number) => a && a.slice(b * width, (b + 1) * width);
  return {
    ...req, batch: 1, x: rows(req.x, T * F)!, initialH: rows(req.initialH, U), initialC: rows(req.initialC, U), mask: rows(req.mask, T),
    inputDropoutMask: rows(req.inputDropoutMask, F), recurrentDropoutMask: rows(req.recurrentDropoutMask, U),
  };
}



/** The result's arrays copied out (a workspace array may be recycled by a later call). */
function forwardCopy(req: ForwardRequest): ForwardResult {
  const r = impl.forward(req);
  return { outputs: r.outputs.slice(), h: r.h.slice(), c: r.c?.slice() ?? null, workspace: r.workspace.slice() };
}

function firstDifference(actual: ForwardResult, expected: ForwardResult): string | null {
  for (const name of ['outputs', 'h', 'c', 'workspace'] as const) {
    if (!sameBits(actual[name], expected[name])) return name;
  }
  return null;
}

/** Runs every case on one thread (the reference) and on `threadCounts`, with the loop threaded however small. */
function expectOwnedEqualsOneThread(cases: ThreadedCase[], threadCounts: number[]): void {
  expectSameAsOneThread(addon, cases, threadCounts, forwardCopy, firstDifference);
}

describe('the forward of small batches with owned unit blocks gives the one-thread bits', () => {
  test('the switch-over is a small batch', () => {
    expect(Number.isInteger(MAX_BATCH) && MAX_BATCH >= 2).toBe(true);
  });

  test.each(CELL_VARIANTS.map((v) => [v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : ''), v] as const))(
    '%s: batches 1 to two past the switch-over, every SIMD path, two to four threads',
    (_name, variant) => {
      expectOwnedEqualsOneThread(CASES.filter((c) => c.options.cell === variant.cell && c.options.resetAfter === variant.resetAfter), [2, 3, 4]);
    },
  );

  test.each(CELL_VARIANTS.map((v) => [v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : ''), v] as const))(
    '%s: each row of batches 1 to two past the switch-over is the bits of that row alone, on one to four threads',
    (_name, variant) => {
      const cases = CASES.filter((c) => c.options.cell === variant.cell && c.options.resetAfter === variant.resetAfter);
      withThreadedSteps(addon, () =>
        forEachSimd(addon, (level) => {
          for (const c of cases) {
            const req = requestOf(c);
            const B = req.batch, U = req.units, outputRow = c.returnSequences ? req.time * U : U;
            const alone = Array.from({ length: B }, (_, b) => withThreads(addon, 1, () => forwardCopy(rowOf(req, b))));
            for (const threads of [1, 2, 3, 4]) {
              const result = withThreads(addon, threads, () => forwardCopy(req));
              for (let b = 0; b < B; b++) {
                const same = sameBits(result.outputs.subarray(b * outputRow, (b + 1) * outputRow), alone[b].outputs) &&
                  sameBits(result.h.subarray(b * U, (b + 1) * U), alone[b].h) &&
                  (result.c === null || sameBits(result.c.subarray(b * U, (b + 1) * U), alone[b].c));
                if (!same) throw new Error(`${label(c)} ${level} ${threads} threads: row ${b} differs from the row run alone`);
              }
            }
          }
        }),
      );
    },
  );

  test('a sequence projected a chunk at a time (inference beyond 4 MB of gates), backwards with a mask', () => {
    // 8 rows x 1024 gate columns: 32 KB a step, 128 steps a chunk, so 130 steps make two chunks.
    const options: CaseOptions = { cell: 'lstm', batch: MAX_BATCH, time: 130, features: 16, units: 256, goBackwards: true, mask: 'gaps',
      initialStates: true, weightScale: 0.07, seed: 41 };
    expectOwnedEqualsOneThread([{ options, returnSequences: true, saveWorkspace: false, oneHot: false }], [2]);
  });

  test('eight threads, more than this machine has cores: blocks are run for owners that are descheduled', () => {
    const cases: ThreadedCase[] = [
      { options: { cell: 'lstm', batch: 1, time: 40, features: 12, units: 256, initialStates: true, weightScale: 0.07, seed: 61 },
        returnSequences: true, saveWorkspace: false, oneHot: false },
      { options: { cell: 'gru', resetAfter: false, batch: 3, time: 20, features: 9, units: 250, mask: 'gaps', weightScale: 0.07, seed: 62 },
        returnSequences: false, saveWorkspace: true, oneHot: false },
    ];
    expectOwnedEqualsOneThread(cases, [8]);
  });

  test('outputs equal the one-step entry called at every timestep', () => {
    withThreadedSteps(addon, () =>
      withThreads(addon, 2, () =>
        forEachSimd(addon, (level) => {
          for (const c of CASES.filter((x) => x.options.mask === 'none' && !x.options.dropout && !x.options.goBackwards && !x.oneHot)) {
            const req = { ...requestOf(c), returnSequences: true };
            const { batch: B, time: T, features: F, units: U } = req;
            const sequence = forwardCopy(req);
            const h = req.initialH?.slice() ?? new Float32Array(B * U);
            const cState = req.cell === 'lstm' ? req.initialC?.slice() ?? new Float32Array(B * U) : null;
            for (let t = 0; t < T; t++) {
              const xt = new Float32Array(B * F);
              for (let b = 0; b < B; b++) xt.set(req.x.subarray((b * T + t) * F, (b * T + t + 1) * F), b * F);
              impl.step(stepRequestOf({ ...req, x: xt }, h, cState));
              for (let b = 0; b < B; b++) {
                if (!sameBits(h.subarray(b * U, (b + 1) * U), sequence.outputs.subarray((b * T + t) * U, (b * T + t + 1) * U))) {
                  throw new Error(`${label(c)} ${level}: the output of step ${t}, row ${b}, differs from the one-step entry's`);
                }
              }
            }
            if (!sameBits(h, sequence.h) || (cState !== null && !sameBits(cState, sequence.c))) {
              throw new Error(`${label(c)} ${level}: the final states differ from the one-step entry's`);
            }
          }
        }),
      ),
    );
  });
});
