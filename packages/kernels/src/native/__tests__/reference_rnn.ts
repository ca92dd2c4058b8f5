/**
 * A deliberately plain reference of the recurrent kernels for tests: per-timestep loops over
 * float64 numbers, written from the semantics in spec.ts and nothing else. Used to check the
 * native forward directly, and (through finite differences) the native backward.
 */
import { GATES, type ForwardRequest, type KernelActivation } from '../../spec';

export function activate(kind: KernelActivation, x: number): number {
  switch (kind) {
    case 'tanh': return Math.tanh(x);
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'hard_sigmoid': return Math.min(1, Math.max(0, x / 6 + 0.5));
    case 'hard_sigmoid_legacy': return Math.min(1, Math.max(0, 0.2 * x + 0.5));
    case 'relu': return Math.max(0, x);
    case 'linear': return x;
  }
}

/** A request whose arrays may be float64 (finite differences need perturbations float32 would round). */
export type ReferenceRequest = {
  [K in keyof ForwardRequest]: ForwardRequest[K] extends Float32Array
    ? ArrayLike<number>
    : ForwardRequest[K] extends Float32Array | null
      ? ArrayLike<number> | null
      : ForwardRequest[K];
};

export interface ReferenceResult {
  outputs: number[]; // [B, T, U] in processing order
  h: number[];
  c: number[] | null;
}

/** Optional additive perturbation of the state after processing step s: used to measure dL/dh_s. */
export interface StateNudge { step: number; b: number; u: number; delta: number }

export function referenceForward(req: ReferenceRequest, nudge?: StateNudge): ReferenceResult {
  const { batch: B, time: T, features: F, units: U, cell } = req;
  const G = GATES[cell];
  const GU = G * U;
  const act = (x: number) => activate(req.activation, x);
  const ract = (x: number) => activate(req.recurrentActivation, x);
  const outputs = new Array<number>(B * T * U).fill(0);
  const hOut: number[] = [];
  const cOut: number[] = [];
  const resetAfter = cell === 'gru' && req.resetAfter;

  for (let b = 0; b < B; b++) {
    let h = Array.from({ length: U }, (_, u) => (req.initialH ? req.initialH[b * U + u] : 0));
    let c = Array.from({ length: U }, (_, u) => (req.initialC ? req.initialC[b * U + u] : 0));
    let previousOutput = new Array<number>(U).fill(0);
    for (let s = 0; s < T; s++) {
      const t = req.goBackwards ? T - 1 - s : s;
      const valid = req.mask ? req.mask[b * T + t] !== 0 : true;
      const x = Array.from({ length: F }, (_, f) => req.x[(b * T + t) * F + f] * (req.inputDropoutMask ? req.inputDropoutMask[b * F + f] : 1));
      const hd = h.map((v, u) => v * (req.recurrentDropoutMask ? req.recurrentDropoutMask[b * U + u] : 1));
      // x·K (+ input bias) and hd·R for every gate column
      const xk = new Array<number>(GU).fill(0);
      const hr = new Array<number>(GU).fill(0);
      for (let j = 0; j < GU; j++) {
        for (let f = 0; f < F; f++) xk[j] += x[f] * req.kernel[f * GU + j];
        for (let k = 0; k < U; k++) hr[j] += hd[k] * req.recurrentKernel[k * GU + j];
        if (req.bias) xk[j] += req.bias[j];
      }
      let hNew = new Array<number>(U).fill(0);
      let cNew = c.slice();
      if (cell === 'simple_rnn') {
        hNew = hNew.map((_, u) => act(xk[u] + hr[u]));
      } else if (cell === 'lstm') {
        for (let u = 0; u < U; u++) {
          const i = ract(xk[u] + hr[u]);
          const f = ract(xk[U + u] + hr[U + u]);
          const g = act(xk[2 * U + u] + hr[2 * U + u]);
          const o = ract(xk[3 * U + u] + hr[3 * U + u]);
          cNew[u] = f * c[u] + i * g;
          hNew[u] = o * act(cNew[u]);
        }
      } else if (resetAfter) {
        for (let u = 0; u < U; u++) {
          const inner = (j: number) => hr[j] + (req.bias ? req.bias[GU + j] : 0);
          const z = ract(xk[u] + inner(u));
          const r = ract(xk[U + u] + inner(U + u));
          const hh = act(xk[2 * U + u] + r * inner(2 * U + u));
          hNew[u] = z * h[u] + (1 - z) * hh;
        }
      } else {
        const z = h.map((_, u) => ract(xk[u] + hr[u]));
        const r = h.map((_, u) => ract(xk[U + u] + hr[U + u]));
        const rh = hd.map((v, u) => r[u] * v);
        for (let u = 0; u < U; u++) {
          let acc = xk[2 * U + u];
          for (let k = 0; k < U; k++) acc += rh[k] * req.recurrentKernel[k * GU + 2 * U + u];
          const hh = act(acc);
          hNew[u] = z[u] * h[u] + (1 - z[u]) * hh;
        }
      }
      if (valid) {
        h = hNew;
        c = cNew;
      }
      if (nudge && nudge.b === b && nudge.step === s) h[nudge.u] += nudge.delta;
      const out = valid ? h.slice() : req.zeroOutputForMask ? new Array<number>(U).fill(0) : previousOutput;
      for (let u = 0; u < U; u++) outputs[(b * T + s) * U + u] = out[u];
      previousOutput = out;
    }
    hOut.push(...h);
    cOut.push(...c);
  }
  return { outputs, h: hOut, c: cell === 'lstm' ? cOut : null };
}
