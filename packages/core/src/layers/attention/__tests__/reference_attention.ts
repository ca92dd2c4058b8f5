/**
 * Attention computed the slow, obvious way in float64 JavaScript, from nested arrays: the independent
 * reference the attention layers are tested against; and the helpers to compare a layer with it.
 */
import * as tf from '@tensorflow/tfjs';

export type Matrix = number[][];

/** A batch of one sample, as the layers take it. */
export const one = (m: Matrix): tf.Tensor => tf.tensor3d([m]);

/** The first sample of `actual` ([1, rows, columns]) against a reference matrix. */
export function expectMatrix(actual: tf.Tensor, expected: Matrix, tolerance = 1e-5): void {
  const got = (actual.arraySync() as number[][][])[0];
  expect(got.length).toBe(expected.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - expected[i][j])).toBeLessThanOrEqual(tolerance)));
}

export interface ReferenceOptions {
  /** The score of one query step against one key step. */
  score: (q: number[], k: number[]) => number;
  /** Per value step: whether it may be attended to. */
  valueMask?: boolean[];
  /** Per query step: whether its output is kept (else zeros). */
  queryMask?: boolean[];
  causal?: boolean;
}

/** One sample: query [Tq][d], value [Tv][dv], key [Tv][d] -> { output [Tq][dv], weights [Tq][Tv] }. */
export function referenceAttention(query: Matrix, value: Matrix, key: Matrix, opts: ReferenceOptions): { output: Matrix; weights: Matrix } {
  const weights = query.map((q, i) => {
    const scores = key.map((k, j) => {
      const allowed = (opts.valueMask?.[j] ?? true) && (!opts.causal || j <= i);
      // Keras subtracts 1e9 from excluded scores rather than removing them.
      return opts.score(q, k) - (allowed ? 0 : 1e9);
    });
    const top = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - top));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
  });
  const output = weights.map((row, i) => value[0].map((_, c) => {
    if (opts.queryMask && !opts.queryMask[i]) return 0;
    return row.reduce((sum, w, j) => sum + w * value[j][c], 0);
  }));
  return { output, weights };
}

export const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);

/** x [T][d] times kernel [d][n] plus bias [n]. */
function affine(x: Matrix, kernel: Matrix, bias: number[] | null): Matrix {
  return x.map((row) => kernel[0].map((_, j) => row.reduce((s, v, i) => s + v * kernel[i][j], bias ? bias[j] : 0)));
}

export interface MultiHeadWeights {
  /** Kernels [features][heads * size] (head-major columns, as [features, heads, size] flattened) and biases. */
  query: { kernel: Matrix; bias: number[] };
  key: { kernel: Matrix; bias: number[] };
  value: { kernel: Matrix; bias: number[] };
  /** [heads * valueDim][outputs] and [outputs]. */
  output: { kernel: Matrix; bias: number[] };
}

/**
 * Multi-head attention for one sample: each head attends with scores q.k / sqrt(keyDim); `allowed(i, j)`
 * says whether query step i may attend to value step j, and a step with nothing allowed gets all-zero
 * weights (Keras 3's masked softmax). Returns the output [Tq][outputs] and weights [heads][Tq][Tv].
 */
export function referenceMultiHead(
  query: Matrix, value: Matrix, key: Matrix, w: MultiHeadWeights,
  dims: { heads: number; keyDim: number; valueDim: number }, allowed: (i: number, j: number) => boolean = () => true,
): { output: Matrix; weights: Matrix[] } {
  const q = affine(query, w.query.kernel, w.query.bias);
  const k = affine(key, w.key.kernel, w.key.bias);
  const v = affine(value, w.value.kernel, w.value.bias);
  const weights: Matrix[] = [];
  const context: Matrix = query.map(() => []);
  for (let h = 0; h < dims.heads; h++) {
    const qh = q.map((row) => row.slice(h * dims.keyDim, (h + 1) * dims.keyDim));
    const kh = k.map((row) => row.slice(h * dims.keyDim, (h + 1) * dims.keyDim));
    const vh = v.map((row) => row.slice(h * dims.valueDim, (h + 1) * dims.valueDim));
    const headWeights = qh.map((qi, i) => {
      const scores = kh.map((kj) => dot(qi, kj) / Math.sqrt(dims.keyDim));
      const open = scores.map((_, j) => allowed(i, j));
      const top = Math.max(...scores.filter((_, j) => open[j]));
      const exps = scores.map((s, j) => (open[j] ? Math.exp(s - top) : 0));
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((e) => (total > 0 ? e / total : 0));
    });
    weights.push(headWeights);
    headWeights.forEach((row, i) => {
      for (let c = 0; c < dims.valueDim; c++) context[i].push(row.reduce((s, a, j) => s + a * vh[j][c], 0));
    });
  }
  return { output: affine(context, w.output.kernel, w.output.bias), weights };
}
