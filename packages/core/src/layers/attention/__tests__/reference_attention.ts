/**
 * Attention computed the slow, obvious way in float64 JavaScript, from nested arrays: the independent
 * reference the attention layers are tested against.
 */
export type Matrix = number[][];

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
