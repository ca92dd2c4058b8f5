/**
 * Seeded random kernel problems for tests: every cell, option and mask pattern, as flat arrays (for
 * the implementations) and as tensors (for the op and the reference).
 */
import * as tf from '@tensorflow/tfjs';
import type { RecurrentSequenceAttributes, RecurrentSequenceInputs } from '../../ops/recurrent_sequence';
import { GATES, type CellKind, type ForwardRequest, type KernelActivation } from '../../spec';

export type MaskPattern = 'none' | 'gaps' | 'fully_masked_row' | 'leading' | 'right_padded';

export interface CaseOptions {
  cell: CellKind;
  batch?: number;
  time?: number;
  features?: number;
  units?: number;
  bias?: boolean;
  initialStates?: boolean;
  mask?: MaskPattern;
  inputDropout?: boolean;
  recurrentDropout?: boolean;
  activation?: KernelActivation;
  recurrentActivation?: KernelActivation;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
  resetAfter?: boolean;
  seed?: number;
  /** Scale of the weights (larger values push activations into saturation). */
  scale?: number;
}

/** Mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomCase {
  request: ForwardRequest;
  /** Random weights of a scalar loss: sum(outputs*wOut) + sum(h*wH) + sum(c*wC). */
  lossWeights: { outputs: Float32Array; h: Float32Array; c: Float32Array | null };
  options: CaseOptions;
}

function maskValues(pattern: MaskPattern, B: number, T: number, rand: () => number): Float32Array | null {
  if (pattern === 'none') return null;
  const m = new Float32Array(B * T).fill(1);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      let keep = 1;
      if (pattern === 'gaps') keep = rand() < 0.35 ? 0 : 1;
      if (pattern === 'leading') keep = t < 1 + (b % 2) ? 0 : 1;
      if (pattern === 'right_padded') keep = t >= T - (b % 3) ? 0 : 1;
      if (pattern === 'fully_masked_row') keep = b === 0 ? 0 : rand() < 0.3 ? 0 : 1;
      m[b * T + t] = keep;
    }
  }
  return m;
}

export function randomCase(options: CaseOptions): RandomCase {
  const rand = seededRandom(options.seed ?? 1);
  const uniform = (n: number, scale: number, offset = 0) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale + offset);
  const dropout = (n: number) => Float32Array.from({ length: n }, () => (rand() < 0.3 ? 0 : 1 / 0.7));
  const cell = options.cell;
  const B = options.batch ?? 3;
  const T = options.time ?? 5;
  const F = options.features ?? 4;
  const U = options.units ?? 3;
  const GU = GATES[cell] * U;
  const scale = options.scale ?? 0.6;
  const resetAfter = options.resetAfter ?? true;
  const biasLength = cell === 'gru' && resetAfter ? 2 * GU : GU;
  const request: ForwardRequest = {
    cell, batch: B, time: T, features: F, units: U,
    activation: options.activation ?? 'tanh',
    recurrentActivation: options.recurrentActivation ?? 'sigmoid',
    goBackwards: options.goBackwards ?? false,
    zeroOutputForMask: options.zeroOutputForMask ?? false,
    resetAfter,
    x: uniform(B * T * F, 1),
    kernel: uniform(F * GU, scale),
    recurrentKernel: uniform(U * GU, scale),
    bias: options.bias === false ? null : uniform(biasLength, 0.3),
    initialH: options.initialStates ? uniform(B * U, 0.8) : null,
    initialC: options.initialStates && cell === 'lstm' ? uniform(B * U, 0.8) : null,
    mask: maskValues(options.mask ?? 'none', B, T, rand),
    inputDropoutMask: options.inputDropout ? dropout(B * F) : null,
    recurrentDropoutMask: options.recurrentDropout ? dropout(B * U) : null,
  };
  return {
    request,
    lossWeights: { outputs: uniform(B * T * U, 1), h: uniform(B * U, 1), c: cell === 'lstm' ? uniform(B * U, 1) : null },
    options,
  };
}

/** The attributes of a case: every one but the flags that choose what is returned (both default true). */
export type CaseAttributes = Omit<RecurrentSequenceAttributes, 'returnSequences' | 'returnState'>;

/** The case as tensors for recurrentSequence() / referenceRecurrentSequence(). Caller disposes. */
export function caseTensors(c: RandomCase, maskDtype: 'float32' | 'bool' = 'float32'): { inputs: RecurrentSequenceInputs; attrs: CaseAttributes } {
  const r = c.request;
  const GU = GATES[r.cell] * r.units;
  const t2 = (v: Float32Array | null, rows: number, cols: number) => (v === null ? null : tf.tensor2d(v, [rows, cols]));
  const mask = r.mask === null ? null : maskDtype === 'bool' ? tf.tensor2d(Array.from(r.mask, (v) => v !== 0), [r.batch, r.time], 'bool') : tf.tensor2d(r.mask, [r.batch, r.time]);
  return {
    inputs: {
      x: tf.tensor3d(r.x, [r.batch, r.time, r.features]),
      kernel: tf.tensor2d(r.kernel, [r.features, GU]),
      recurrentKernel: tf.tensor2d(r.recurrentKernel, [r.units, GU]),
      bias: r.bias === null ? null : r.cell === 'gru' && r.resetAfter ? tf.tensor2d(r.bias, [2, GU]) : tf.tensor1d(r.bias),
      initialH: t2(r.initialH, r.batch, r.units),
      initialC: t2(r.initialC, r.batch, r.units),
      mask,
      inputDropoutMask: t2(r.inputDropoutMask, r.batch, r.features),
      recurrentDropoutMask: t2(r.recurrentDropoutMask, r.batch, r.units),
    },
    attrs: {
      cell: r.cell,
      activation: r.activation,
      recurrentActivation: r.recurrentActivation,
      goBackwards: r.goBackwards,
      zeroOutputForMask: r.zeroOutputForMask,
      resetAfter: r.resetAfter,
    },
  };
}

export function disposeInputs(inputs: RecurrentSequenceInputs): void {
  for (const t of Object.values(inputs)) if (t instanceof tf.Tensor) t.dispose();
}
