/** Step requests for tests (the one-timestep view of a random forward request, time 1), and bit-level comparisons. */
import type { ForwardRequest, StepRequest } from '../../spec';
import { randomRequest, type CaseOptions } from './random_requests';

/** A forward request at time 1 with initial states, and the step request of the same inputs (fresh state arrays). */
export function stepCase(options: CaseOptions): { forward: ForwardRequest; step: StepRequest } {
  const forward = randomRequest({ initialStates: true, ...options, time: 1, mask: 'none', dropout: false });
  const h = forward.initialH!.slice();
  const c = forward.cell === 'lstm' ? forward.initialC!.slice() : null;
  return { forward: { ...forward, returnSequences: false, saveWorkspace: false }, step: stepRequestOf(forward, h, c) };
}

export function stepRequestOf(req: ForwardRequest, h: Float32Array, c: Float32Array | null): StepRequest {
  return {
    cell: req.cell, activation: req.activation, recurrentActivation: req.recurrentActivation, resetAfter: req.resetAfter,
    batch: req.batch, features: req.features, units: req.units,
    x: req.x, kernel: req.kernel, recurrentKernel: req.recurrentKernel, bias: req.bias, h, c,
  };
}

/** A copy of `values` that starts `offset` floats into a fresh buffer. */
export function placedAt(values: Float32Array, offset: number): Float32Array {
  const view = new Float32Array(new ArrayBuffer((values.length + 16) * 4), offset * 4, values.length);
  view.set(values);
  return view;
}

export function sameBits(a: ArrayLike<number> | null, b: ArrayLike<number> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
