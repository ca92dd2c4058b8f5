import {
  CsvTable,
  applyNormalization,
  losses,
  countTimeSeriesWindows,
  fitNormalization,
  numericColumns,
  timeSeriesWindows,
  NormalizationStats,
} from '@recurrent/core';
import { ExperimentError } from '../errors';
import { TimeSeriesData } from '../experiment/data_schema';
import { lossName } from './label_encoding';
import { ExampleSet, exampleSet } from './example_set';
import { PrepareContext, PreparedData, atPath, sourcePath, splitExamples } from './prepared_data';
import { PreprocessingState } from './preprocessing_state';
import { DataSource, loadTable, resolveSource } from './sources';

/** The columns read from the table: the features, then targets that are not features. */
export function seriesColumns(section: TimeSeriesData): string[] {
  return [...new Set([...section.features, ...(section.targets ?? section.features)])];
}

/**
 * CSV rows -> numeric columns -> normalisation fitted on the training rows -> windows. By default
 * the validation part is the last rows of the series (no shuffling, so no future leaks into
 * training); its windows may start in the training rows, so every validation target is used.
 */
export function prepareTimeSeries(section: TimeSeriesData, ctx: PrepareContext): PreparedData {
  const source = resolveSource(section, ctx.baseDir);
  const table = atPath(ctx.file, sourcePath(section), () => loadTable(source, section.delimiter, section.limit));
  const columns = seriesColumns(section);
  const rows = atPath(ctx.file, columnsPath(table, columns, section), () => numericColumns(table, columns).rows);
  const shuffled = section.shuffleBeforeSplit ?? false;
  const splitAt = shuffled ? rows.length : Math.floor(rows.length * (1 - section.validationSplit));
  const targets = section.targets ?? section.features;
  const classification = classificationLoss(ctx.loss);
  if (classification !== null) checkTargets(classification, rows, columns, targets, section, ctx.file);
  const normalization = keepTargetsRaw(fitNormalization(rows.slice(0, Math.max(splitAt, 1)), columns, section.normalization), classification === null ? [] : targets);
  const state: PreprocessingState = {
    format: 'recurrent-preprocessing',
    version: 1,
    kind: 'timeseries',
    data: section,
    labelEncoding: 'none',
    dims: {
      window: section.window,
      numFeatures: section.features.length,
      numTargets: targets.length,
      horizon: section.horizon,
      outputSize: section.horizon * targets.length,
    },
    normalization,
  };
  const normalized = applyNormalization(normalization, rows);
  if (shuffled) {
    const all = atPath(ctx.file, 'data.window', () => seriesExamples(normalized, state, table.file));
    return { state, ...splitExamples(all, section, ctx.seed, true) };
  }
  const train = atPath(ctx.file, 'data.window', () => seriesExamples(normalized.slice(0, splitAt), state, table.file));
  const validationRows = normalized.slice(Math.max(0, splitAt - section.window));
  const validation =
    section.validationSplit > 0 && countTimeSeriesWindows(validationRows.length, section.window, section.horizon, section.step) > 0
      ? seriesExamples(validationRows, state, table.file)
      : null;
  return { state, train, validation };
}

/** The loss when it is a cross-entropy (whose targets are labels, never normalized), else null. */
function classificationLoss(loss: unknown): losses.Loss | null {
  const name = lossName(loss);
  if (name === undefined) return null;
  let resolved: losses.Loss;
  try {
    resolved = losses.getLoss(name);
  } catch {
    return null; // an unknown loss is reported with the compile section
  }
  // Only cross-entropies constrain their targets: any value at all is in their domain otherwise.
  return losses.targetDomainProblem(resolved, [-1]) === null ? null : resolved;
}

/** Refuses target columns a cross-entropy loss cannot learn from, naming the column and the fix. */
function checkTargets(loss: losses.Loss, rows: number[][], columns: string[], targets: string[], section: TimeSeriesData, file: string): void {
  targets.forEach((column, j) => {
    const k = columns.indexOf(column);
    const problem = losses.targetDomainProblem(loss, rows.map((row) => row[k]));
    if (problem === null) return;
    const path = section.targets !== undefined ? `data.targets[${j}]` : `data.features[${j}]`;
    throw new ExperimentError(file, [{ path, message: `column '${column}': ${problem}` }]);
  });
}

/** Statistics that leave the target columns as they are (labels of a classification loss). */
function keepTargetsRaw(stats: NormalizationStats, targets: readonly string[]): NormalizationStats {
  return { ...stats, columns: stats.columns.map((c) => (targets.includes(c.column) ? { column: c.column } : c)) };
}

/** Examples of another table with a trained model's normalisation (evaluate). */
export function encodeTimeSeries(state: PreprocessingState, source: DataSource): ExampleSet {
  const section = state.data as TimeSeriesData;
  const table = loadTable(source, section.delimiter);
  const rows = numericColumns(table, seriesColumns(section)).rows;
  return seriesExamples(applyNormalization(state.normalization as NormalizationStats, rows), state, table.file);
}

/** Normalised rows (in seriesColumns order) -> x [n, window, features], y [n, horizon * targets]. */
function seriesExamples(rows: number[][], state: PreprocessingState, name: string): ExampleSet {
  const section = state.data as TimeSeriesData;
  const columns = seriesColumns(section);
  const n = countTimeSeriesWindows(rows.length, section.window, section.horizon, section.step);
  if (n === 0) {
    throw new RangeError(`${name} gives ${rows.length} rows here, too few for one window of ${section.window} rows plus a horizon of ${section.horizon}; use a smaller window or more rows`);
  }
  const { x, y } = timeSeriesWindows(rows, {
    window: section.window,
    horizon: section.horizon,
    step: section.step,
    featureIndices: section.features.map((c) => columns.indexOf(c)),
    targetIndices: (section.targets ?? section.features).map((c) => columns.indexOf(c)),
  });
  return exampleSet([{ array: x }], [{ array: y }]);
}

/** The JSON path of the column list holding the first column the table lacks. */
function columnsPath(table: CsvTable, columns: string[], section: TimeSeriesData): string {
  const missing = columns.find((c) => !table.columns.includes(c));
  if (missing === undefined) return 'data.features';
  const k = section.features.indexOf(missing);
  return k >= 0 ? `data.features[${k}]` : `data.targets[${(section.targets ?? []).indexOf(missing)}]`;
}
