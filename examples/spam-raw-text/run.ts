/**
 * A spam classifier that reads raw text, trained with `recurrent fit` from experiment.json: the model
 * starts with TextVectorization, whose vocabulary `fit` learns from the training e-mails (adapt) and
 * saves inside model.json, so `recurrent predict` takes new e-mails as they are (messages.jsonl).
 * Embedding -> Conv1D -> MaxPooling1D -> LSTM -> Dense follow, the convolutional front-end of IMDB-style
 * sentiment models. The held-out fifth of the e-mails (seeded shuffle) is the validation split: the
 * scores are its metrics after the last epoch.
 *
 *   node examples/dist/spam-raw-text/run.js            # the whole corpus, 4 epochs
 *   node examples/dist/spam-raw-text/run.js --smoke    # 200 e-mails, 30 words, one epoch
 */
import * as fs from 'fs';
import * as path from 'path';
import { run as recurrent } from '@recurrent/cli';
import { ExampleOptions, exampleDir, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import { Stopwatch } from '../shared/stopwatch';

interface CliHistory {
  epoch: number[];
  history: Record<string, (number | null)[]>;
}

export interface RawTextResults {
  seconds: number;
  epochs: number;
  /** The metrics after the last epoch (val_*: the held-out e-mails). */
  final: Record<string, number | null>;
  history: Record<string, (number | null)[]>;
  vocabulary: { size: number; first: string[] };
  predictions: { text: string; label: string; spamProbability: number }[];
}

/** The smoke version: a few e-mails, short sequences, one epoch. */
function smokeExperiment(outDir: string): string {
  const experiment = JSON.parse(fs.readFileSync(path.join(exampleDir('spam-raw-text'), 'experiment.json'), 'utf8'));
  experiment.data = { ...experiment.data, limit: 200, max_len: 30, num_words: 500 };
  experiment.fit = { ...experiment.fit, epochs: 1, verbose: 0 };
  const file = path.join(outDir, 'experiment.smoke.json');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(experiment, null, 2));
  return file;
}

/** Runs one command of the command line in this process, its output going to `write`. */
async function command(args: string[], write: (text: string) => void): Promise<void> {
  const code = await recurrent(args, { out: write, err: write, interactive: false });
  if (code !== 0) throw new Error(`recurrent ${args.join(' ')} exited with code ${code}`);
}

/** Forwards text to the log line by line. */
function logLines(log: (line: string) => void): (text: string) => void {
  return (text) => text.split('\n').filter((l) => l !== '').forEach(log);
}

export async function run(options: ExampleOptions): Promise<RawTextResults> {
  const here = exampleDir('spam-raw-text');
  const file = options.smoke ? smokeExperiment(options.outDir) : path.join(here, 'experiment.json');
  const modelDir = options.smoke ? path.join(options.outDir, 'model') : path.join(here, 'out', 'model');
  const timer = new Stopwatch();
  options.log(`=== recurrent fit ${path.relative(process.cwd(), file)} --out ${path.relative(process.cwd(), modelDir)} --seed ${options.seed}`);
  await command(['fit', file, '--out', modelDir, '--seed', String(options.seed), '--overwrite'], logLines(options.log));
  const seconds = timer.lap('fit');

  const history = JSON.parse(fs.readFileSync(path.join(modelDir, 'history.json'), 'utf8')) as CliHistory;
  const final = Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]]));
  const topology = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')).modelTopology;
  const vectorizer = topology.config.layers.find((l: { config: { name: string } }) => l.config.name === 'vectorize');
  const vocabulary: string[] = vectorizer.config.vocabulary;

  // New e-mails, as raw text, through the saved model.
  const messages = path.join(here, 'messages.jsonl');
  options.log(`=== recurrent predict ${path.relative(process.cwd(), modelDir)} --input ${path.relative(process.cwd(), messages)}`);
  let predicted = '';
  await command(['predict', modelDir, '--input', messages], (text) => (predicted += text));
  const texts = fs.readFileSync(messages, 'utf8').trim().split('\n').map((l) => JSON.parse(l).body as string);
  const predictions = predicted.trim().split('\n').map((line, i) => {
    const row = JSON.parse(line) as { label: string; probabilities: Record<string, number> };
    return { text: texts[i], label: row.label, spamProbability: row.probabilities.spam };
  });
  for (const p of predictions) options.log(`${p.label.padEnd(4)} ${fmt(p.spamProbability)}  ${p.text.slice(0, 80)}`);

  const results: RawTextResults = {
    seconds,
    epochs: history.epoch.length,
    final,
    history: history.history,
    vocabulary: { size: vocabulary.length, first: vocabulary.slice(0, 12) },
    predictions,
  };
  options.log(`held-out e-mails after ${results.epochs} epochs: accuracy ${fmt(final.val_accuracy ?? NaN)}, precision ${fmt(final.val_precision ?? NaN)}, recall ${fmt(final.val_recall ?? NaN)} (fit took ${fmt(seconds, 1)}s)`);
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, environment: environment(), ...results });
  return results;
}

if (require.main === module) runMain('spam-raw-text', run);
