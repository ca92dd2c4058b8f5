/**
 * Native forward pass against the float64 per-timestep reference, for every cell and option, on
 * every SIMD path of this CPU, and at sizes that exercise tails, several threads and unpacked
 * recurrent weights.
 */
import { ACTIVATIONS, type ForwardRequest } from '../spec';
import { forEachSimd, requireNative, withThreadedSteps } from './__tests__/native_fixture';
import { referenceForward } from './__tests__/reference_rnn';
import { CELL_VARIANTS, describeCase, maxAbsDiff, maxScaledDiff, randomRequest, type CaseOptions } from './__tests__/random_requests';

const { impl, addon } = requireNative();

const OPTION_SETS: Partial<CaseOptions>[] = [
  {},
  { mask: 'gaps' },
  { mask: 'gaps', zeroOutputForMask: true },
  { mask: 'fullRow' },
  { mask: 'leading', initialStates: true },
  { goBackwards: true },
  { goBackwards: true, mask: 'gaps' },
  { goBackwards: true, mask: 'leading', initialStates: true, zeroOutputForMask: true },
  { initialStates: true },
  { bias: false },
  { dropout: true },
  { dropout: true, mask: 'gaps', initialStates: true },
  { time: 1 },
  { time: 0 },
  { batch: 1, time: 2 },
  { weightScale: 3 },
];

function expectMatchesReference(req: ForwardRequest, tolerance: number, label: string): void {
  const got = impl.forward(req);
  const want = referenceForward(req);
  const errors = {
    outputs: maxScaledDiff(got.outputs, want.outputs),
    h: maxScaledDiff(got.h, want.h),
    c: want.c && got.c ? maxScaledDiff(got.c, want.c) : 0,
  };
  if (req.cell === 'lstm') expect(got.c).not.toBeNull();
  else expect(got.c).toBeNull();
  expect(got.workspace.length).toBe(impl.workspaceSize(req, req.resetAfter));
  const worst = Math.max(errors.outputs, errors.h, errors.c);
  if (!(worst <= tolerance)) throw new Error(`${label}: max scaled error ${worst} > ${tolerance} (${JSON.stringify(errors)})`);
}

describe('native forward matches the float64 reference', () => {
  for (const variant of CELL_VARIANTS) {
    const name = `${variant.cell}${variant.cell === 'gru' ? ` resetAfter=${String(variant.resetAfter)}` : ''}`;
    test(`${name}: every option set on every SIMD path`, () => {
      forEachSimd(addon, (level) => {
        OPTION_SETS.forEach((options, i) => {
          const o: CaseOptions = { ...variant, ...options, seed: 100 + i };
          expectMatchesReference(randomRequest(o), 2e-5, `${level} ${name} ${describeCase(o)}`);
        });
      });
    });

    test(`${name}: every activation and recurrent activation`, () => {
      for (const activation of ACTIVATIONS) {
        const o: CaseOptions = { ...variant, activation, weightScale: 1.5, mask: 'gaps', seed: 7 };
        expectMatchesReference(randomRequest(o), 2e-5, `${name} ${describeCase(o)}`);
      }
      if (variant.cell === 'simple_rnn') return;
      for (const recurrentActivation of ACTIVATIONS) {
        const o: CaseOptions = { ...variant, recurrentActivation, weightScale: 1.5, seed: 8 };
        expectMatchesReference(randomRequest(o), 2e-5, `${name} ${describeCase(o)}`);
      }
    });

    test(`${name}: sizes with SIMD tails, two threads and direct weights`, () => {
      const sizes: Partial<CaseOptions>[] = [
        { batch: 9, time: 6, features: 13, units: 70, mask: 'gaps', dropout: true, initialStates: true },
        { batch: 17, time: 3, features: 5, units: 33, goBackwards: true },
        { batch: 2, time: 2, features: 7, units: 45 }, // few rows, few steps: weights used unpacked
        { batch: 1, time: 3, features: 9, units: 100, initialStates: true }, // one row: matrix-vector products, a block of units per thread
        { batch: 1, time: 1, features: 9, units: 100, initialStates: true }, // one step of one row (generation)
        { batch: 2, time: 1, features: 7, units: 45, dropout: true },
        { batch: 3, time: 1, features: 1, units: 1 },
      ];
      for (const threaded of [false, true]) {
        const run = () =>
          forEachSimd(addon, (level) => {
            sizes.forEach((s, i) => {
              const o: CaseOptions = { ...variant, ...s, weightScale: 0.3, seed: 300 + i };
              expectMatchesReference(randomRequest(o), 5e-5, `${level} threaded=${threaded} ${name} ${describeCase(o)}`);
            });
          });
        if (threaded) withThreadedSteps(addon, run);
        else run();
      }
    });
  }

  test('one inference step of one or two rows (a generation step) equals the recorded forward exactly', () => {
    for (const variant of CELL_VARIANTS) {
      for (const threaded of [false, true]) {
        const run = () =>
          forEachSimd(addon, (level) => {
            for (const size of [{ batch: 1, features: 9, units: 100 }, { batch: 2, features: 7, units: 45 }]) {
              const req = randomRequest({ ...variant, ...size, time: 1, initialStates: true, dropout: true, seed: 77 });
              const recorded = impl.forward(req);
              const inference = impl.forward({ ...req, saveWorkspace: false });
              const label = `${level} threaded=${threaded} ${describeCase({ ...variant, ...size })}`;
              expect({ label, outputs: maxAbsDiff(inference.outputs, recorded.outputs), h: maxAbsDiff(inference.h, recorded.h) }).toEqual({ label, outputs: 0, h: 0 });
              if (recorded.c && inference.c) expect({ label, c: maxAbsDiff(inference.c, recorded.c) }).toEqual({ label, c: 0 });
            }
          });
        if (threaded) withThreadedSteps(addon, run);
        else run();
      }
    }
  });

  test('masked steps repeat the previous output, or zero before the first valid step', () => {
    const req = randomRequest({ cell: 'lstm', batch: 1, time: 4, units: 3, seed: 5 });
    req.mask = Float32Array.from([0, 1, 0, 1]);
    const { outputs } = impl.forward(req);
    expect(Array.from(outputs.slice(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(outputs.slice(6, 9))).toEqual(Array.from(outputs.slice(3, 6)));
    expect(Array.from(outputs.slice(3, 6)).some((v) => v !== 0)).toBe(true);
  });

  test('goBackwards writes outputs in processing order', () => {
    const forwardReq = randomRequest({ cell: 'simple_rnn', batch: 2, time: 5, seed: 9 });
    const reversedX = new Float32Array(forwardReq.x.length);
    const { batch: B, time: T, features: F } = forwardReq;
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        reversedX.set(forwardReq.x.subarray((b * T + t) * F, (b * T + t + 1) * F), (b * T + (T - 1 - t)) * F);
    const backwards = impl.forward({ ...forwardReq, goBackwards: true });
    const onReversed = impl.forward({ ...forwardReq, x: reversedX });
    expect(maxAbsDiff(backwards.outputs, onReversed.outputs)).toBe(0);
  });
});
