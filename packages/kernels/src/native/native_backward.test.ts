/**
 * Native backpropagation through time against central finite differences of the float64
 * reference, for each cell and option: masks with gaps, a fully masked row, goBackwards, initial
 * states, reset_after both ways, each activation, no bias, dropout masks. Also dhNorms.
 */
import { ACTIVATIONS } from '../spec';
import { forEachSimd, requireNative, withThreadedSteps } from './__tests__/native_fixture';
import { checkGradients, numericStateGradientNorms, randomLossWeights } from './__tests__/finite_differences';
import { CELL_VARIANTS, describeCase, randomRequest, type CaseOptions } from './__tests__/random_requests';

const { impl, addon } = requireNative();

const OPTION_SETS: Partial<CaseOptions>[] = [
  {},
  { mask: 'gaps' },
  { mask: 'gaps', zeroOutputForMask: true },
  { mask: 'fullRow' },
  { mask: 'leading', initialStates: true },
  { goBackwards: true },
  { goBackwards: true, mask: 'gaps', initialStates: true },
  { initialStates: true },
  { bias: false },
  { dropout: true },
  { dropout: true, mask: 'gaps', goBackwards: true },
  { time: 1 },
];

function expectGradientsMatch(o: CaseOptions, label: string, samplesPerInput?: number): void {
  const req = randomRequest(o);
  const weights = randomLossWeights(req, (o.seed ?? 0) + 17);
  const fwd = impl.forward(req);
  const grads = impl.backward({ ...req, workspace: fwd.workspace, ...weights });
  const mismatches = checkGradients(req, grads, weights, samplesPerInput);
  if (mismatches.length > 0) {
    throw new Error(`${label}: ${mismatches.length} gradient entries differ, first: ${JSON.stringify(mismatches.slice(0, 4))}`);
  }
  expect(grads.dhNorms.length).toBe(req.time);
}

describe('native backward matches finite differences', () => {
  for (const variant of CELL_VARIANTS) {
    const name = `${variant.cell}${variant.cell === 'gru' ? ` resetAfter=${String(variant.resetAfter)}` : ''}`;

    test(`${name}: every option set`, () => {
      OPTION_SETS.forEach((options, i) => {
        const o: CaseOptions = { ...variant, ...options, seed: 500 + i };
        expectGradientsMatch(o, `${name} ${describeCase(o)}`);
      });
    });

    // Initial states keep the LSTM cell state off relu's kink (c0 = 0 and g = 0 give c = 0 exactly),
    // and moderate weights keep the unbounded activations from exploding beyond float32 accuracy.
    test(`${name}: every activation and recurrent activation`, () => {
      for (const activation of ACTIVATIONS) {
        const o: CaseOptions = { ...variant, activation, weightScale: 1.0, initialStates: true, seed: 21 };
        expectGradientsMatch(o, `${name} ${describeCase(o)}`);
      }
      if (variant.cell === 'simple_rnn') return;
      for (const recurrentActivation of ACTIVATIONS) {
        const o: CaseOptions = { ...variant, recurrentActivation, weightScale: 0.8, initialStates: true, seed: 22 };
        expectGradientsMatch(o, `${name} ${describeCase(o)}`);
      }
    });

    test(`${name}: every SIMD path, with tails and two threads`, () => {
      withThreadedSteps(addon, () =>
        forEachSimd(addon, (level) => {
          const o: CaseOptions = { ...variant, batch: 8, time: 3, features: 3, units: 40, mask: 'gaps', dropout: true,
            initialStates: true, weightScale: 0.3, seed: 31 };
          expectGradientsMatch(o, `${level} ${name} ${describeCase(o)}`, 8);
        }),
      );
    });

    test(`${name}: dhNorms are the norms of dLoss/dh after each step`, () => {
      for (const options of [{}, { mask: 'gaps' as const, goBackwards: true }, { mask: 'leading' as const, zeroOutputForMask: true }]) {
        const req = randomRequest({ ...variant, ...options, seed: 41 });
        const weights = randomLossWeights(req, 42);
        const fwd = impl.forward(req);
        const grads = impl.backward({ ...req, workspace: fwd.workspace, ...weights });
        const numeric = numericStateGradientNorms(req, weights);
        numeric.forEach((n, s) => expect(Math.abs(grads.dhNorms[s] - n)).toBeLessThanOrEqual(1e-3 + 1e-2 * n));
      }
    });
  }

  test('no gradient flows into masked steps', () => {
    const req = randomRequest({ cell: 'lstm', batch: 2, time: 4, mask: 'gaps', seed: 61 });
    req.mask = Float32Array.from([1, 0, 1, 1, 0, 0, 0, 0]);
    const fwd = impl.forward(req);
    const grads = impl.backward({ ...req, workspace: fwd.workspace, ...randomLossWeights(req, 62) });
    const F = req.features;
    for (const [b, t] of [[0, 1], [1, 0], [1, 1], [1, 2], [1, 3]]) {
      expect(Array.from(grads.dx.subarray((b * 4 + t) * F, (b * 4 + t + 1) * F))).toEqual(new Array(F).fill(0));
    }
  });

  test('null output gradients mean zeros', () => {
    const req = randomRequest({ cell: 'gru', seed: 71 });
    const fwd = impl.forward(req);
    const grads = impl.backward({ ...req, workspace: fwd.workspace, dOutputs: null, dH: null, dC: null });
    for (const g of [grads.dx, grads.dKernel, grads.dRecurrentKernel, grads.dInitialH, grads.dhNorms]) {
      expect(Array.from(g).every((v) => v === 0)).toBe(true);
    }
  });
});
