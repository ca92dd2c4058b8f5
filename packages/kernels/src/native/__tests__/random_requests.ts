/** Seeded random kernel requests for tests (deterministic: a failing case can be replayed). */
import { seededRandom } from '../../__tests__/reference/random_case';
import { GATES, type CellKind, type ForwardRequest, type KernelActivation } from '../../spec';

export { seededRandom };

export interface CaseOptions {
  cell: CellKind;
  batch?: number;
  time?: number;
  features?: number;
  units?: number;
  activation?: KernelActivation;
  recurrentActivation?: KernelActivation;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
  resetAfter?: boolean;
  bias?: boolean;
  initialStates?: boolean;
  /** 'gaps': random holes; 'fullRow': row 0 fully masked plus gaps elsewhere; 'leading': first steps masked. */
  mask?: 'none' | 'gaps' | 'fullRow' | 'leading';
  dropout?: boolean;
  /** Scale of the weights (larger values push gates into saturation). */
  weightScale?: number;
  seed?: number;
}

/** Every cell the kernels implement, GRU both ways. */
export const CELL_VARIANTS: CaseOptions[] = [
  { cell: 'simple_rnn' },
  { cell: 'lstm' },
  { cell: 'gru', resetAfter: true },
  { cell: 'gru', resetAfter: false },
];

/** The activation pairs the fused kernels take, the default first, each non-default activation once. */
export const ACTIVATION_PAIRS = [
  { activation: 'tanh', recurrentActivation: 'sigmoid' },
  { activation: 'relu', recurrentActivation: 'hard_sigmoid' },
  { activation: 'linear', recurrentActivation: 'hard_sigmoid_legacy' },
  { activation: 'sigmoid', recurrentActivation: 'tanh' },
] as const;

export function randomRequest(o: CaseOptions): ForwardRequest {
  const rand = seededRandom(o.seed ?? 1234);
  const B = o.batch ?? 3, T = o.time ?? 5, F = o.features ?? 4, U = o.units ?? 5;
  const G = GATES[o.cell];
  const w = o.weightScale ?? 0.6;
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const resetAfter = o.resetAfter ?? true;
  let mask: Float32Array | null = null;
  if (o.mask && o.mask !== 'none') {
    mask = Float32Array.from({ length: B * T }, () => (rand() < 0.35 ? 0 : 1));
    if (o.mask === 'fullRow') for (let t = 0; t < T; t++) mask[t] = 0;
    if (o.mask === 'leading') for (let b = 0; b < B; b++) for (let t = 0; t < Math.min(2, T); t++) mask[b * T + t] = 0;
  }
  const dropMask = (n: number, rate: number) =>
    Float32Array.from({ length: n }, () => (rand() < rate ? 0 : 1 / (1 - rate)));
  return {
    cell: o.cell,
    batch: B,
    time: T,
    features: F,
    units: U,
    activation: o.activation ?? 'tanh',
    recurrentActivation: o.recurrentActivation ?? 'sigmoid',
    goBackwards: o.goBackwards ?? false,
    zeroOutputForMask: o.zeroOutputForMask ?? false,
    resetAfter,
    x: uniform(B * T * F, 1),
    kernel: uniform(F * G * U, w),
    recurrentKernel: uniform(U * G * U, w),
    bias: o.bias === false ? null : uniform(G * U * (o.cell === 'gru' && resetAfter ? 2 : 1), 0.3),
    initialH: o.initialStates ? uniform(B * U, 0.8) : null,
    initialC: o.initialStates && o.cell === 'lstm' ? uniform(B * U, 0.8) : null,
    mask,
    inputDropoutMask: o.dropout ? dropMask(B * F, 0.3) : null,
    recurrentDropoutMask: o.dropout ? dropMask(B * U, 0.3) : null,
  };
}

/** req with one-hot inputs: one nonzero per row, one row in ten empty (sparse enough for the list of nonzeros). */
export function withOneHotInputs(req: ForwardRequest, seed: number): ForwardRequest {
  const rand = seededRandom(seed);
  const x = new Float32Array(req.x.length);
  for (let r = 0; r < req.batch * req.time; r++) if (rand() < 0.9) x[r * req.features + Math.floor(rand() * req.features)] = 1;
  return { ...req, x };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max |a-b| / (1 + |b|): absolute near zero, relative for large values (unbounded activations grow). */
export function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return m;
}

export function describeCase(o: CaseOptions): string {
  return Object.entries(o)
    .filter(([k]) => k !== 'cell')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}
