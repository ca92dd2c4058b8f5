/**
 * TrainingReport: records every epoch's logs and duration (and text samples handed to addSample) and,
 * when training ends, writes them into a folder: history.json, history.csv, report.html (one chart per
 * metric with its validation twin, the per-epoch table, facts, the model summary, the samples) and
 * plots/<metric>.svg. Its record is part of a backup, so a resumed run reports every epoch.
 *
 *   new TrainingReport({ dir: 'runs/lstm', title: 'LSTM on Moby-Dick', summary: summaryText(model) })
 */
import * as path from 'path';
import { Callback, type CallbackState } from './callback';
import type { Logs } from '../logs';
import type { TextSample } from './text_sampler';
import { jsonField, numberField } from './state_fields';
import { appendEpoch, emptyTrainingLog, historyCsv, type TrainingLog } from '../report/training_log';
import { historyCharts, trainingReportHtml } from '../report/report_html';
import { writeFilesAtomically } from '../../saving/atomic_write';

export interface TrainingReportArgs {
  /** Folder the files are written into (created when missing). */
  dir: string;
  /** Title of the HTML page (default 'Training report'). */
  title?: string;
  /** Lines under the title, [label, value], computed when the report is written (data, seed, timing...). */
  facts?: () => [string, string][];
  /** The model summary shown in the report. */
  summary?: string;
}

/** The files written, relative to the folder. */
export const REPORT_FILES = ['history.json', 'history.csv', 'report.html'] as const;

export class TrainingReport extends Callback {
  readonly dir: string;
  log: TrainingLog = emptyTrainingLog();
  private epochStartedAt = 0;

  constructor(private readonly args: TrainingReportArgs) {
    super();
    if (typeof args?.dir !== 'string' || args.dir === '') throw new Error('TrainingReport: dir must be a non-empty folder path.');
    this.dir = path.resolve(args.dir);
  }

  override onTrainBegin(): void {
    this.log = emptyTrainingLog();
  }

  override onEpochBegin(): void {
    // A resumed epoch keeps the start restored with the state (its batches before the interruption count).
    if (this.run !== null && this.run.batch > 0 && this.epochStartedAt !== 0) return;
    this.epochStartedAt = performance.now();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    appendEpoch(this.log, epoch + 1, logs, (performance.now() - this.epochStartedAt) / 1000);
  }

  addSample(sample: TextSample): void {
    (this.log.samples ??= []).push(sample);
  }

  override getState(): CallbackState {
    return { log: structuredClone(this.log) as unknown as CallbackState, epochSeconds: (performance.now() - this.epochStartedAt) / 1000 };
  }

  override setState(state: CallbackState): void {
    this.log = jsonField<TrainingLog>(state, 'log', 'TrainingReport', 'a training log', (v) => v !== null && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).epoch));
    this.epochStartedAt = performance.now() - numberField(state, 'epochSeconds', 'TrainingReport') * 1000;
  }

  override onTrainEnd(): void {
    this.write();
  }

  /** Writes the files now. */
  write(): void {
    const html = trainingReportHtml(this.log, { title: this.args.title ?? 'Training report', facts: this.args.facts?.() ?? [], summary: this.args.summary });
    writeFilesAtomically(path.join(this.dir, 'plots'), historyCharts(this.log).map((chart) => ({ name: `${chart.name}.svg`, data: chart.svg })));
    writeFilesAtomically(this.dir, [
      { name: 'history.json', data: JSON.stringify(this.log, null, 2) + '\n' },
      { name: 'history.csv', data: historyCsv(this.log) },
      { name: 'report.html', data: html },
    ]);
  }
}
