/**
 * The one-timestep entry point (`step`, in place) gives the bits of the forward at time 1 from the same
 * state, on every cell and activation pair the fused kernels take, GRU both ways, odd unit counts,
 * batches of 1 to 3, with and without bias, on every SIMD path, on one thread and on two, and wherever
 * the weights start in memory. The TypeScript kernels' step matches their own forward bit for bit and
 * the native step to 1e-5. Repeated steps carry the state as the whole-sequence forward does.
 */
import type { ForwardRequest, RecurrentImplementation, StepRequest } from '../spec';
import { typescriptImplementation } from '../typescript';
import { forEachSimd, requireNative, withThreadedSteps } from './__tests__/native_fixture';
import { ACTIVATION_PAIRS, CELL_VARIANTS, maxScaledDiff, type CaseOptions } from './__tests__/random_requests';
import { placedAt, sameBits, stepCase, stepRequestOf } from './__tests__/step_requests';

const { impl, addon } = requireNative();

/** The forward's final states at time 1, and the step's in-place states, compared bit for bit. */
function expectStepEqualsForward(implementation: RecurrentImplementation, forward: ForwardRequest, step: StepRequest, where: string): void {
  const expected = implementation.forward(forward);
  const x = step.x.slice(), kernel = step.kernel.slice(), bias = step.bias?.slice() ?? null;
  implementation.step(step);
  if (!sameBits(step.h, expected.h)) throw new Error(`${where}: h differs from the forward's`);
  if (!sameBits(step.h, expected.outputs)) throw new Error(`${where}: h differs from the forward's output`);
  if (step.c !== null && !sameBits(step.c, expected.c)) throw new Error(`${where}: c differs from the forward's`);
  // The inputs are only read.
  if (!sameBits(step.x, x) || !sameBits(step.kernel, kernel) || !sameBits(step.bias, bias)) throw new Error(`${where}: an input changed`);
}

const SHAPES = [
  { batch: 1, features: 7, units: 37 },
  { batch: 2, features: 3, units: 64 },
  { batch: 3, features: 12, units: 5 },
  { batch: 1, features: 1, units: 1 },
];

const CASES: CaseOptions[] = CELL_VARIANTS.flatMap((variant, v) =>
  SHAPES.flatMap((shape, s) =>
    ACTIVATION_PAIRS.map((pair, a) => ({ ...variant, ...shape, ...pair, bias: (v + s + a) % 3 !== 0, seed: 100 * v + 10 * s + a })),
  ),
);

const label = (o: CaseOptions) =>
  `${o.cell}${o.cell === 'gru' ? ` resetAfter=${o.resetAfter}` : ''} B=${o.batch} F=${o.features} U=${o.units} ${o.activation}/${o.recurrentActivation}${o.bias ? '' : ' no bias'}`;

describe('native step equals the native forward at time 1, bit for bit', () => {
  test.each(CELL_VARIANTS.map((v) => [v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : ''), v] as const))(
    '%s: every shape and activation pair, every SIMD path, one thread and two',
    (_name, variant) => {
      const cases = CASES.filter((c) => c.cell === variant.cell && c.resetAfter === variant.resetAfter);
      const runAll = (threads: string) =>
        forEachSimd(addon, (level) => {
          for (const options of cases) {
            const { forward, step } = stepCase({ ...options, weightScale: 1.2 / Math.sqrt(options.units ?? 5) });
            expectStepEqualsForward(impl, forward, step, `${label(options)} ${level} ${threads}`);
          }
        });
      runAll('one thread');
      withThreadedSteps(addon, () => runAll('threaded'));
    },
  );

  test.each(CELL_VARIANTS.map((v) => [v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : ''), v] as const))(
    '%s: the same bits wherever the weights start in memory',
    (_name, variant) => {
      // 96 units: two blocks of 48 per gate on two threads, block edges mid-vector; rows start unaligned.
      // 8 rows of 256 units: more rows' sums than the stack buffer holds, built up a few rows at a time.
      const cases = [{ batch: 1, units: 96 }, { batch: 8, units: 256 }].map((shape) =>
        stepCase({ ...variant, ...shape, features: 9, weightScale: 0.12, seed: 9 }));
      const runAll = (threads: string) =>
        forEachSimd(addon, (level) => {
          for (const { forward, step } of cases) for (let offset = 0; offset < 16; offset++) {
            const kernel = placedAt(forward.kernel, offset), recurrentKernel = placedAt(forward.recurrentKernel, (offset * 7) % 16);
            const h = placedAt(forward.initialH!, (offset * 3) % 16);
            const c = forward.initialC ? placedAt(forward.initialC, (offset * 5) % 16) : null;
            expectStepEqualsForward(impl, { ...forward, kernel, recurrentKernel }, { ...step, kernel, recurrentKernel, h, c },
              `B=${forward.batch} ${level} ${threads} offset ${offset}`);
          }
        });
      runAll('one thread');
      withThreadedSteps(addon, () => runAll('threaded'));
    },
  );

  test('a step with zero units or zero batch rows writes nothing and returns', () => {
    for (const shape of [{ batch: 0, units: 4 }, { batch: 2, units: 0 }]) {
      const { step } = stepCase({ cell: 'lstm', features: 3, ...shape });
      expect(() => impl.step(step)).not.toThrow();
      expect(step.h.length).toBe(shape.batch * shape.units);
    }
  });
});

describe('TypeScript step', () => {
  test.each(CASES.filter((_, i) => i % 3 === 1).map((c) => [label(c), c] as const))(
    '%s: equals its own forward bit for bit, and the native step to 1e-5',
    (_name, options) => {
      const { forward, step } = stepCase(options);
      const nativeStep = { ...step, h: step.h.slice(), c: step.c?.slice() ?? null };
      expectStepEqualsForward(typescriptImplementation, forward, step, 'typescript');
      impl.step(nativeStep);
      expect(maxScaledDiff(nativeStep.h, step.h)).toBeLessThanOrEqual(1e-5);
      if (step.c) expect(maxScaledDiff(nativeStep.c!, step.c)).toBeLessThanOrEqual(1e-5);
    },
  );
});

describe.each([
  ['native', impl],
  ['typescript', typescriptImplementation],
] as const)('%s steps carry the state as the whole-sequence forward', (_name, implementation) => {
  test.each(CELL_VARIANTS.map((v) => [v.cell + (v.cell === 'gru' ? ` resetAfter=${v.resetAfter}` : ''), v] as const))('%s', (_cell, variant) => {
    const T = 6, B = 2, F = 5, U = 11;
    const { forward } = stepCase({ ...variant, batch: B, features: F, units: U, seed: 77 });
    const x = Float32Array.from({ length: B * T * F }, (_, i) => Math.sin(i * 0.7));
    const sequence = implementation.forward({ ...forward, time: T, x, returnSequences: true });
    const h = forward.initialH!.slice(), c = forward.initialC?.slice() ?? null;
    for (let t = 0; t < T; t++) {
      const xt = new Float32Array(B * F);
      for (let b = 0; b < B; b++) xt.set(x.subarray((b * T + t) * F, (b * T + t + 1) * F), b * F);
      implementation.step(stepRequestOf({ ...forward, x: xt }, h, c));
      for (let b = 0; b < B; b++) {
        const expected = sequence.outputs.subarray((b * T + t) * U, (b * T + t + 1) * U);
        expect(maxScaledDiff(h.subarray(b * U, (b + 1) * U), expected)).toBeLessThanOrEqual(1e-6);
      }
    }
    expect(maxScaledDiff(h, sequence.h)).toBeLessThanOrEqual(1e-6);
    if (c) expect(maxScaledDiff(c, sequence.c!)).toBeLessThanOrEqual(1e-6);
  });
});
