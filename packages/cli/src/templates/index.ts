import { ExperimentJson } from './experiment_json';
import { classificationTemplate } from './classification';
import { seq2seqTemplate } from './seq2seq';
import { textGenerationTemplate } from './text_generation';
import { timeSeriesTemplate } from './time_series';

export interface Template {
  name: string;
  summary: string;
  experiment: ExperimentJson;
}

/** Starter experiments for `recurrent init`, each runnable as written on a bundled dataset. */
export const TEMPLATES: readonly Template[] = [
  { name: 'text-generation', summary: 'char-level SimpleRNN on Moby-Dick, samples at several temperatures', experiment: textGenerationTemplate },
  { name: 'classification', summary: 'spam vs ham e-mails with Embedding(maskZero) + LSTM', experiment: classificationTemplate },
  { name: 'seq2seq', summary: 'grapheme-to-phoneme on CMUdict, LSTM encoder-decoder', experiment: seq2seqTemplate },
  { name: 'time-series', summary: 'next-day US births with an LSTM forecaster', experiment: timeSeriesTemplate },
];

export function templateNames(): string[] {
  return TEMPLATES.map((t) => t.name);
}
