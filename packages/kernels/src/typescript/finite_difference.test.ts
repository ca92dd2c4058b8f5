/**
 * Finite-difference checks of the TypeScript kernels' backward pass: for every cell and option
 * (masks with gaps, a fully masked row, leading masked steps, goBackwards, initial states, GRU
 * resetAfter both ways, each activation, no bias, dropout multipliers) every gradient entry is
 * compared with a central difference of the loss sum(outputs*wOut) + sum(h*wH) + sum(c*wC).
 */
import type { ForwardRequest } from '../spec';
import { caseName, casesFor, CELLS } from '../__tests__/reference/case_catalog';
import { randomCase, type RandomCase } from '../__tests__/reference/random_case';
import { typescriptImplementation as ts } from './typescript_implementation';

const EPS = 1e-3;

function loss(req: ForwardRequest, c: RandomCase): number {
  const r = ts.forward(req);
  let sum = 0;
  for (let i = 0; i < r.outputs.length; i++) sum += r.outputs[i] * c.lossWeights.outputs[i];
  for (let i = 0; i < r.h.length; i++) sum += r.h[i] * c.lossWeights.h[i];
  if (r.c !== null && c.lossWeights.c !== null) for (let i = 0; i < r.c.length; i++) sum += r.c[i] * c.lossWeights.c[i];
  return sum;
}

const PARAMS = ['x', 'kernel', 'recurrentKernel', 'bias', 'initialH', 'initialC'] as const;
const GRAD_OF = { x: 'dx', kernel: 'dKernel', recurrentKernel: 'dRecurrentKernel', bias: 'dBias', initialH: 'dInitialH', initialC: 'dInitialC' } as const;

describe('TypeScript kernels: backward pass vs finite differences', () => {
  for (const cell of CELLS) {
    test.each(casesFor(cell, 7).map((o) => [caseName(o), o] as const))('%s', (_name, options) => {
      const c = randomCase(options);
      const req = c.request;
      const fwd = ts.forward(req);
      const grads = ts.backward({ ...req, workspace: fwd.workspace, dOutputs: c.lossWeights.outputs, dH: c.lossWeights.h, dC: c.lossWeights.c });
      let checked = 0;
      let kinks = 0;
      const base = loss(req, c);
      for (const p of PARAMS) {
        const values = req[p];
        const analytic = grads[GRAD_OF[p]];
        if (values === null) {
          // An absent bias has no gradient; absent initial states still get one (wrt the zeros used).
          if (p === 'bias') expect(analytic).toBeNull();
          continue;
        }
        expect(analytic).not.toBeNull();
        for (let i = 0; i < values.length; i++) {
          const original = values[i];
          values[i] = original + EPS;
          const up = loss(req, c);
          values[i] = original - EPS;
          const down = loss(req, c);
          values[i] = original;
          const numeric = (up - down) / (2 * EPS);
          const a = (analytic as Float32Array)[i];
          const close = (n: number) => Math.abs(n - a) <= 4e-3 + 1e-2 * Math.abs(n);
          if (!close(numeric)) {
            // relu and the hard sigmoids have kinks: when the perturbation crosses one, the two
            // one-sided differences disagree, and the analytic gradient must equal one of them.
            const right = (up - base) / EPS;
            const left = (base - down) / EPS;
            const isKink = Math.abs(right - left) > 4e-3 + 1e-2 * Math.abs(right + left);
            if (!isKink || !(close(right) || close(left))) {
              throw new Error(`d${p}[${i}]: analytic ${a}, finite difference ${numeric} (one-sided ${left}, ${right})`);
            }
            kinks++;
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(50);
      // One pre-activation near a kink is crossed by every parameter feeding it; more than that
      // would mean the case is dominated by kinks and checks little.
      expect(kinks).toBeLessThanOrEqual(Math.ceil(checked / 10));
      expect(grads.dhNorms).toHaveLength(req.time);
    });
  }
});
