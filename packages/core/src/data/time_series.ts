import { DataError } from './data_error';
import { CsvTable, columnIndex } from './csv';
import { NumericArray, numericArray } from './numeric_array';

/** Numeric columns picked from a table, in the requested order. */
export interface NumericColumns {
  columns: string[];
  /** rows x columns */
  rows: number[][];
}

/**
 * Picks columns of a CSV table as numbers. Unknown columns, empty cells and non-numeric cells are
 * DataErrors naming the file, the line and the column.
 */
export function numericColumns(table: CsvTable, columns: readonly string[]): NumericColumns {
  if (columns.length === 0) throw new DataError('no columns selected', { file: table.file, fix: `choose columns among: ${table.columns.join(', ')}` });
  const indices = columns.map((name) => columnIndex(table, name));
  const rows = table.rows.map((row) =>
    indices.map((k, j) => {
      const raw = row.cells[k].trim();
      const value = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(value)) {
        throw new DataError(raw === '' ? 'empty value' : `'${raw}' is not a number`, {
          file: table.file,
          line: row.line,
          field: columns[j],
          fix: raw === '' ? 'fill or remove rows with missing values' : `remove '${columns[j]}' from the columns or fix the value`,
        });
      }
      return value;
    }),
  );
  return { columns: [...columns], rows };
}

export interface TimeSeriesWindowOptions {
  /** Past steps in each input window. */
  window: number;
  /** Future steps to predict after each window (default 1). */
  horizon?: number;
  /** Distance between consecutive window starts (default 1). */
  step?: number;
  /** Column positions (in the rows) used as inputs; default all. */
  featureIndices?: number[];
  /** Column positions predicted; default all. */
  targetIndices?: number[];
}

/** Number of (window, horizon) pairs in a series of `length` rows. */
export function countTimeSeriesWindows(length: number, window: number, horizon = 1, step = 1): number {
  for (const [name, v] of [['window', window], ['horizon', horizon], ['step', step]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`time series windows: ${name} must be a positive integer, got ${v}`);
  }
  const last = length - window - horizon;
  return last >= 0 ? Math.floor(last / step) + 1 : 0;
}

/**
 * Sliding windows over a series: x[i] = rows[s, s+window) (features), y[i] = the targets of the
 * following `horizon` rows, flattened step-major ([t+1 targets..., t+2 targets..., ...]), for
 * s = 0, step, 2*step, ... Shapes: x [n, window, features], y [n, horizon * targets].
 */
export function timeSeriesWindows(rows: readonly ArrayLike<number>[], options: TimeSeriesWindowOptions): { x: NumericArray; y: NumericArray } {
  const { window, horizon = 1, step = 1 } = options;
  const width = rows[0]?.length ?? 0;
  const features = options.featureIndices ?? Array.from({ length: width }, (_, k) => k);
  const targets = options.targetIndices ?? Array.from({ length: width }, (_, k) => k);
  const n = countTimeSeriesWindows(rows.length, window, horizon, step);
  const x = numericArray('float32', [n, window, features.length]);
  const y = numericArray('float32', [n, horizon * targets.length]);
  for (let w = 0; w < n; w++) {
    const start = w * step;
    for (let t = 0; t < window; t++) {
      const row = rows[start + t];
      features.forEach((k, f) => (x.data[(w * window + t) * features.length + f] = row[k]));
    }
    for (let h = 0; h < horizon; h++) {
      const row = rows[start + window + h];
      targets.forEach((k, j) => (y.data[w * horizon * targets.length + h * targets.length + j] = row[k]));
    }
  }
  return { x, y };
}
