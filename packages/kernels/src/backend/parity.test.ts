/**
 * Native addon vs TypeScript kernels on random cases: outputs, final states and every gradient
 * (and the per-step gradient norms) agree to 1e-5. The install builds the addon, so this fails when
 * it cannot load, unless RECURRENT_KERNELS=typescript says to run without it.
 */
import { loadNative } from '../native/load';
import { typescriptImplementation } from '../typescript';
import { maxAbsDiff } from '../__tests__/reference/loss_helpers';
import { randomCase, seededRandom, type CaseOptions } from '../__tests__/reference/random_case';
import { ACTIVATIONS, type CellKind, type RecurrentImplementation } from '../spec';

/** Max abs difference allowed for values of order 1; values larger than 1 (linear or relu cells with
 * large weights grow) are compared at the same relative precision, the most float32 sums in a
 * different order can promise. */
const TOLERANCE = 1e-5;
const typescriptOnly = (process.env.RECURRENT_KERNELS ?? '').trim().toLowerCase() === 'typescript';

function randomOptions(seed: number): CaseOptions {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const cell = pick<CellKind>(['simple_rnn', 'lstm', 'gru']);
  return {
    cell,
    seed,
    batch: 1 + Math.floor(rand() * 5),
    time: 1 + Math.floor(rand() * 9),
    features: 1 + Math.floor(rand() * 20),
    units: 1 + Math.floor(rand() * 40),
    bias: rand() < 0.8,
    initialStates: rand() < 0.5,
    mask: pick(['none', 'gaps', 'fully_masked_row', 'leading', 'right_padded'] as const),
    inputDropout: rand() < 0.3,
    recurrentDropout: rand() < 0.3,
    activation: rand() < 0.6 ? 'tanh' : pick(ACTIVATIONS),
    recurrentActivation: rand() < 0.6 ? 'sigmoid' : pick(ACTIVATIONS),
    goBackwards: rand() < 0.4,
    zeroOutputForMask: rand() < 0.4,
    resetAfter: rand() < 0.6,
    // Mostly moderate weights; some large, to cover saturated gates.
    scale: rand() < 0.8 ? 0.3 : 1.5,
  };
}

function run(impl: RecurrentImplementation, options: CaseOptions) {
  const c = randomCase(options);
  const fwd = impl.forward(c.request);
  const bwd = impl.backward({ ...c.request, workspace: fwd.workspace, dOutputs: c.lossWeights.outputs, dH: c.lossWeights.h, dC: c.lossWeights.c });
  return { fwd, bwd };
}

if (typescriptOnly) {
  test('RECURRENT_KERNELS=typescript turns the native kernels off, so there is no second implementation', () => {
    const load = loadNative();
    expect(load.ok).toBe(false);
    expect(load.ok ? '' : load.error).toMatch(/RECURRENT_KERNELS=typescript/);
  });
}

if (!typescriptOnly) describe('native vs TypeScript parity', () => {
  test('the native addon loads (the install builds it)', () => {
    const load = loadNative();
    if (!load.ok) throw new Error(`native kernels unavailable: ${load.error}`);
    expect(load.impl.name).toBe('native');
  });

  const seeds = Array.from({ length: 60 }, (_, i) => 100 + i);
  test.each(seeds)('random case %i', (seed) => {
    const load = loadNative();
    if (!load.ok) throw new Error(`native kernels unavailable: ${load.error}`);
    const options = randomOptions(seed);
    const a = run(load.impl, options);
    const b = run(typescriptImplementation, options);
    const pairs: Array<[string, ArrayLike<number> | null, ArrayLike<number> | null]> = [
      ['outputs', a.fwd.outputs, b.fwd.outputs],
      ['h', a.fwd.h, b.fwd.h],
      ['c', a.fwd.c, b.fwd.c],
      ['dx', a.bwd.dx, b.bwd.dx],
      ['dKernel', a.bwd.dKernel, b.bwd.dKernel],
      ['dRecurrentKernel', a.bwd.dRecurrentKernel, b.bwd.dRecurrentKernel],
      ['dBias', a.bwd.dBias, b.bwd.dBias],
      ['dInitialH', a.bwd.dInitialH, b.bwd.dInitialH],
      ['dInitialC', a.bwd.dInitialC, b.bwd.dInitialC],
      ['dhNorms', a.bwd.dhNorms, b.bwd.dhNorms],
    ];
    for (const [name, x, y] of pairs) {
      if (x === null || y === null) {
        expect([name, x === null]).toEqual([name, y === null]);
        continue;
      }
      const diff = maxAbsDiff(x, y);
      let scale = 1;
      for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
      if (!(diff <= TOLERANCE * scale)) throw new Error(`${name}: max abs difference ${diff} > ${TOLERANCE} (${JSON.stringify(options)})`);
    }
  });
});
