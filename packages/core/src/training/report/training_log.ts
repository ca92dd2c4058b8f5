/**
 * The record of a training run as TrainingReport keeps it: every epoch's logs and duration, and the
 * text samples drawn after epochs; written as history.json and history.csv.
 */
import type { TextSample } from '../callbacks/text_sampler';

export interface TrainingLog {
  /** Epoch numbers (1-based). */
  epoch: number[];
  /** Metric name (loss, acc, val_loss, ...) -> one value per epoch (null when not computed that epoch). */
  history: Record<string, (number | null)[]>;
  /** Seconds each epoch took. */
  seconds: number[];
  /** Text samples printed after epochs (text models). */
  samples?: TextSample[];
}

export function emptyTrainingLog(): TrainingLog {
  return { epoch: [], history: {}, seconds: [] };
}

/** Adds one epoch's logs; metrics first seen later get nulls for the earlier epochs. */
export function appendEpoch(history: TrainingLog, epoch: number, logs: Record<string, number>, seconds: number): void {
  const index = history.epoch.length;
  history.epoch.push(epoch);
  history.seconds.push(seconds);
  for (const [name, value] of Object.entries(logs)) {
    const values = (history.history[name] ??= new Array(index).fill(null));
    values.push(value);
  }
  for (const values of Object.values(history.history)) while (values.length < index + 1) values.push(null);
}

export function historyCsv(history: TrainingLog): string {
  const names = Object.keys(history.history);
  const lines = [['epoch', ...names, 'seconds'].join(',')];
  history.epoch.forEach((epoch, i) => {
    const cells = names.map((n) => {
      const v = history.history[n][i];
      return v === null || v === undefined ? '' : String(v);
    });
    lines.push([String(epoch), ...cells, history.seconds[i].toFixed(3)].join(','));
  });
  return lines.join('\n') + '\n';
}
