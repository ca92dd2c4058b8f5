/**
 * Per-column normalisation of a numeric table (rows x columns), with its statistics kept so that
 * predictions can take raw values and give raw values back.
 */

export type NormalizationMethod = 'zscore' | 'minmax' | 'none';

export interface ColumnStats {
  column: string;
  /** z-score: mean and standard deviation (population). */
  mean?: number;
  std?: number;
  /** min-max: observed range. */
  min?: number;
  max?: number;
}

export interface NormalizationStats {
  method: NormalizationMethod;
  columns: ColumnStats[];
}

/** Computes the statistics of each column of `rows` (fit them on training rows only). */
export function fitNormalization(rows: readonly ArrayLike<number>[], columns: readonly string[], method: NormalizationMethod): NormalizationStats {
  if (method !== 'zscore' && method !== 'minmax' && method !== 'none') {
    throw new RangeError(`normalization: method must be 'zscore', 'minmax' or 'none', got '${String(method)}'`);
  }
  if (rows.length === 0 && method !== 'none') throw new RangeError('normalization: no rows to compute statistics from');
  const stats = columns.map((column, k): ColumnStats => {
    if (method === 'none') return { column };
    if (method === 'minmax') {
      let min = Infinity;
      let max = -Infinity;
      for (const row of rows) {
        min = Math.min(min, row[k]);
        max = Math.max(max, row[k]);
      }
      return { column, min, max };
    }
    let sum = 0;
    for (const row of rows) sum += row[k];
    const mean = sum / rows.length;
    let squares = 0;
    for (const row of rows) squares += (row[k] - mean) ** 2;
    return { column, mean, std: Math.sqrt(squares / rows.length) };
  });
  return { method, columns: stats };
}

/** Scale and offset that map a raw value v of column k to (v - offset) / scale. */
function scaleOf(stats: NormalizationStats, k: number): { offset: number; scale: number } {
  const c = stats.columns[k];
  if (c === undefined) throw new RangeError(`normalization: no statistics for column ${k}`);
  // A constant column would divide by zero: keep its scale at 1 so it only shifts.
  if (stats.method === 'zscore') return { offset: c.mean ?? 0, scale: c.std !== undefined && c.std > 0 ? c.std : 1 };
  if (stats.method === 'minmax') {
    const range = (c.max ?? 1) - (c.min ?? 0);
    return { offset: c.min ?? 0, scale: range > 0 ? range : 1 };
  }
  return { offset: 0, scale: 1 };
}

/** Normalises value `v` of column `k`. */
export function normalizeValue(stats: NormalizationStats, k: number, v: number): number {
  const { offset, scale } = scaleOf(stats, k);
  return (v - offset) / scale;
}

/** Maps a normalised value of column `k` back to its raw scale. */
export function denormalizeValue(stats: NormalizationStats, k: number, v: number): number {
  const { offset, scale } = scaleOf(stats, k);
  return v * scale + offset;
}

/** A normalised copy of the rows (columns in the order of `stats.columns`). */
export function applyNormalization(stats: NormalizationStats, rows: readonly ArrayLike<number>[]): number[][] {
  return rows.map((row) => Array.from({ length: stats.columns.length }, (_, k) => normalizeValue(stats, k, row[k])));
}

/** Statistics restricted to some columns (by name), e.g. the targets of a forecast. */
export function selectStats(stats: NormalizationStats, columns: readonly string[]): NormalizationStats {
  return {
    method: stats.method,
    columns: columns.map((name) => {
      const found = stats.columns.find((c) => c.column === name);
      if (found === undefined) throw new RangeError(`normalization: no statistics for column '${name}'`);
      return found;
    }),
  };
}
