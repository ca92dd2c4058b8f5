import { ExperimentJson } from './experiment_json';
import { classificationTemplate } from './classification';
import { seq2seqTemplate } from './seq2seq';
import { textGenerationTemplate } from './text_generation';
import { timeSeriesTemplate } from './time_series';

export interface Template {
  name: string;
  summary: string;
  experiment: ExperimentJson;
  /** Commands to try on the trained model (run from the template's folder). */
  tryIt: string[];
}

/** Starter experiments for `recurrent init`, each runnable as written on a bundled dataset. */
export const TEMPLATES: readonly Template[] = [
  {
    name: 'text-generation',
    summary: 'char-level SimpleRNN on Moby-Dick, samples at several temperatures',
    experiment: textGenerationTemplate,
    tryIt: ['recurrent generate out --prime "the whale " --length 300 --temperature 0.5 --seed 1', `echo '{"text": "call me ishma"}' | recurrent predict out --input -`],
  },
  {
    name: 'classification',
    summary: 'spam vs ham e-mails with Embedding(maskZero) + LSTM',
    experiment: classificationTemplate,
    tryIt: [`echo '{"body": "Click here to claim your FREE prize, limited offer!"}' | recurrent predict out --input -`],
  },
  {
    name: 'seq2seq',
    summary: 'grapheme-to-phoneme on CMUdict, LSTM encoder-decoder',
    experiment: seq2seqTemplate,
    tryIt: [`printf '{"word": "PYTHON"}\\n{"word": "RECURRENT"}\\n' | recurrent predict out --input -`],
  },
  {
    name: 'time-series',
    summary: 'next-day US births with an LSTM forecaster',
    experiment: timeSeriesTemplate,
    tryIt: ['recurrent predict out --input recent.csv   # a CSV with columns births,day_of_week and at least 28 rows'],
  },
];

export function templateNames(): string[] {
  return TEMPLATES.map((t) => t.name);
}
