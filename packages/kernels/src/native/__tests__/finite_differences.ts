/**
 * Central finite differences of a scalar loss through the float64 reference forward:
 * loss = Σ outputs·wOut + Σ h·wH + Σ c·wC, so the kernel's backward is fed dOutputs=wOut, dH=wH, dC=wC.
 * The reference runs in float64, so a small step gives accurate derivatives.
 */
import type { BackwardResult, ForwardRequest } from '../../spec';
import { referenceForward, type ReferenceRequest, type ReferenceResult } from './reference_rnn';
import { seededRandom } from './random_requests';

export interface LossWeights {
  dOutputs: Float32Array;
  dH: Float32Array;
  dC: Float32Array | null;
}

export function randomLossWeights(req: ForwardRequest, seed: number): LossWeights {
  const rand = seededRandom(seed);
  const uniform = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  const BU = req.batch * req.units;
  return { dOutputs: uniform(BU * req.time), dH: uniform(BU), dC: req.cell === 'lstm' ? uniform(BU) : null };
}

function loss(r: ReferenceResult, w: LossWeights): number {
  let total = 0;
  r.outputs.forEach((v, i) => (total += v * w.dOutputs[i]));
  r.h.forEach((v, i) => (total += v * w.dH[i]));
  if (r.c && w.dC) r.c.forEach((v, i) => (total += v * w.dC![i]));
  return total;
}

type Differentiable = 'x' | 'kernel' | 'recurrentKernel' | 'bias' | 'initialH' | 'initialC';
const RESULT_FIELD: Record<Differentiable, keyof BackwardResult> = {
  x: 'dx',
  kernel: 'dKernel',
  recurrentKernel: 'dRecurrentKernel',
  bias: 'dBias',
  initialH: 'dInitialH',
  initialC: 'dInitialC',
};

export interface GradientMismatch {
  input: Differentiable;
  index: number;
  analytic: number;
  numeric: number;
}

/**
 * Compares the gradients with central differences; returns the mismatches. Every entry is checked
 * unless `samplesPerInput` is given, in which case that many evenly spread entries of each input are.
 */
export function checkGradients(
  req: ForwardRequest,
  grads: BackwardResult,
  weights: LossWeights,
  samplesPerInput?: number,
  eps = 1e-4,
  tolerance = { abs: 1e-3, rel: 1e-2 },
): GradientMismatch[] {
  const wide: ReferenceRequest = { ...req };
  const mismatches: GradientMismatch[] = [];
  const inputs: Differentiable[] = ['x', 'kernel', 'recurrentKernel', 'bias', 'initialH', 'initialC'];
  for (const input of inputs) {
    if (input === 'initialC' && req.cell !== 'lstm') continue;
    const analyticArray = grads[RESULT_FIELD[input]] as Float32Array | null;
    const given = req[input];
    if (input === 'bias' && !given) {
      if (analyticArray !== null) throw new Error('dBias must be null without a bias');
      continue;
    }
    const size = given ? given.length : req.batch * req.units; // absent initial states are zeros
    const values = Float64Array.from(given ?? new Float32Array(size));
    if (!analyticArray || analyticArray.length !== size) throw new Error(`${input}: gradient of wrong length`);
    const stride = samplesPerInput ? Math.max(1, Math.floor(size / samplesPerInput)) : 1;
    for (let i = 0; i < size; i += stride) {
      const original = values[i];
      values[i] = original + eps;
      const up = loss(referenceForward({ ...wide, [input]: values }), weights);
      values[i] = original - eps;
      const down = loss(referenceForward({ ...wide, [input]: values }), weights);
      values[i] = original;
      const numeric = (up - down) / (2 * eps);
      const analytic = analyticArray[i];
      if (!(Math.abs(analytic - numeric) <= tolerance.abs + tolerance.rel * Math.abs(numeric))) {
        mismatches.push({ input, index: i, analytic, numeric });
      }
    }
  }
  return mismatches;
}

/** ||dLoss/dh_s|| for every processing step s, by nudging the state after step s in the reference. */
export function numericStateGradientNorms(req: ForwardRequest, weights: LossWeights, eps = 1e-4): number[] {
  const norms: number[] = [];
  for (let step = 0; step < req.time; step++) {
    let sq = 0;
    for (let b = 0; b < req.batch; b++) {
      for (let u = 0; u < req.units; u++) {
        const up = loss(referenceForward(req, { step, b, u, delta: eps }), weights);
        const down = loss(referenceForward(req, { step, b, u, delta: -eps }), weights);
        sq += ((up - down) / (2 * eps)) ** 2;
      }
    }
    norms.push(Math.sqrt(sq));
  }
  return norms;
}
