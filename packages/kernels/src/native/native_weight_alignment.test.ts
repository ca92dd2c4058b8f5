/**
 * The matrix-vector products of small-batch steps start their vector loads where the weight rows reach
 * a vector boundary, so where tfjs's array happens to start must not change a single bit. The
 * recurrent kernel is placed at every float offset of one buffer (one of them is aligned to the
 * widest vector, the others start 1..15 floats past it), on every SIMD path, on one thread and on
 * two (each thread then owns a block of units, whose edges fall mid-vector). Batches of three rows share
 * each loaded weight vector on the AVX-512 path, and build their sums up in a stack buffer when it holds
 * them or in the results themselves when it does not.
 */
import { typescriptImplementation } from '../typescript';
import type { ForwardRequest, ForwardResult } from '../spec';
import { forEachSimd, requireNative, withThreadedSteps } from './__tests__/native_fixture';
import { maxScaledDiff, randomRequest, type CaseOptions } from './__tests__/random_requests';
import { placedAt, sameBits } from './__tests__/step_requests';

const { impl, addon } = requireNative();

const CASES: CaseOptions[] = [
  // 4 x 64 gate columns per row (a multiple of every vector width): the aligned-start path.
  { cell: 'lstm', batch: 1, time: 6, features: 20, units: 64, initialStates: true },
  // Two blocks of 48 units per gate on two threads: block edges mid-vector.
  { cell: 'gru', resetAfter: true, batch: 1, time: 5, features: 7, units: 96, initialStates: true },
  { cell: 'gru', resetAfter: false, batch: 2, time: 4, features: 9, units: 32 },
  { cell: 'simple_rnn', batch: 1, time: 7, features: 5, units: 48 },
  // Rows of 4 x 36 floats: each row starts at a different offset (the unaligned path).
  { cell: 'lstm', batch: 1, time: 4, features: 6, units: 36 },
  // Three rows at once (four steps reuse the weights enough for the matrix-vector kernel): sums in the
  // buffer, and, at 400 units on one thread (3 rows x 1600 columns), more than it holds: two rows, then one.
  { cell: 'gru', resetAfter: true, batch: 3, time: 4, features: 5, units: 36, initialStates: true },
  { cell: 'lstm', batch: 3, time: 4, features: 3, units: 400 },
];

describe('small-batch steps do not depend on where the recurrent kernel starts in memory', () => {
  test.each(CASES.map((c, i) => [`${c.cell} B=${c.batch} U=${c.units}`, c, i] as const))('%s', (_label, options, i) => {
    const req: ForwardRequest = randomRequest({ ...options, weightScale: 1.2 / Math.sqrt(options.units ?? 5), seed: 700 + i });
    const reference = typescriptImplementation.forward(req);
    const runAll = (label: string) =>
      forEachSimd(addon, (level) => {
        let first: ForwardResult | null = null;
        for (let offset = 0; offset < 16; offset++) {
          const result = impl.forward({ ...req, recurrentKernel: placedAt(req.recurrentKernel, offset), kernel: placedAt(req.kernel, offset) });
          const where = `${label} ${level} offset ${offset}`;
          if (first === null) {
            first = result;
            const diff = Math.max(maxScaledDiff(result.outputs, reference.outputs), maxScaledDiff(result.h, reference.h));
            if (!(diff <= 1e-5)) throw new Error(`${where}: differs from the TypeScript kernel by ${diff}`);
          } else if (!sameBits(result.outputs, first.outputs) || !sameBits(result.h, first.h) || !sameBits(result.c, first.c)) {
            throw new Error(`${where}: not bit for bit the result at offset 0`);
          }
        }
      });
    const threads = addon.info().threads;
    addon.setThreads(1);
    try {
      runAll('one thread');
    } finally {
      addon.setThreads(threads);
    }
    withThreadedSteps(addon, () => runAll('threaded'));
  });
});
