/**
 * Text generation, the chapter's first example: a character-level language model of Moby-Dick trained
 * with the `recurrent fit` command, once per recurrent layer (SimpleRNN, LSTM, GRU). The three
 * experiment files differ only in the layer's class name; this script runs them one after the other
 * and collects the losses, the timing and the text sampled after the first and the last epoch.
 *
 *   node examples/dist/text-generation/run.js            # all three, a few minutes each
 *   node examples/dist/text-generation/run.js --smoke    # a few thousand characters, one epoch
 */
import * as fs from 'fs';
import * as path from 'path';
import { run as recurrent } from '@recurrent/cli';
import { ExampleOptions, exampleDir, runMain } from '../shared/options';
import { environment, writeJson } from '../shared/results';
import { Stopwatch } from '../shared/stopwatch';

export const CONFIGS = ['simple-rnn', 'lstm', 'gru'] as const;

interface CliHistory {
  epoch: number[];
  history: Record<string, (number | null)[]>;
  seconds: number[];
  samples?: { epoch: number; temperature: number; prime: string; text: string }[];
}

export interface ConfigResult {
  config: string;
  seconds: number;
  epochs: number;
  final: Record<string, number | null>;
  firstEpochSamples: Record<string, string>;
  lastEpochSamples: Record<string, string>;
}

/** The smoke version of an experiment: a few thousand characters, one short epoch, short samples. */
function smokeExperiment(config: string, outDir: string): string {
  const experiment = JSON.parse(fs.readFileSync(path.join(exampleDir('text-generation'), `${config}.json`), 'utf8'));
  experiment.data.limit = 1500;
  experiment.fit = { ...experiment.fit, epochs: 1, verbose: 0 };
  experiment.generate = { ...experiment.generate, length: 10, temperatures: [0.5] };
  const file = path.join(outDir, `${config}.smoke.json`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(experiment, null, 2));
  return file;
}

/** Forwards the command's output to the log, one line at a time. */
function lineWriter(log: (line: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending = '';
  return {
    write: (text) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) log(line);
    },
    flush: () => {
      if (pending !== '') log(pending);
      pending = '';
    },
  };
}

function samplesOf(history: CliHistory, epoch: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of history.samples ?? []) if (s.epoch === epoch) out[`temperature ${s.temperature}`] = s.prime + s.text;
  return out;
}

export async function run(options: ExampleOptions): Promise<ConfigResult[]> {
  const results: ConfigResult[] = [];
  for (const config of CONFIGS) {
    const file = options.smoke ? smokeExperiment(config, options.outDir) : path.join(exampleDir('text-generation'), `${config}.json`);
    const runDir = options.smoke ? path.join(options.outDir, 'runs', config) : path.join(exampleDir('text-generation'), 'runs', config);
    options.log(`\n=== ${config}: recurrent fit ${path.relative(process.cwd(), file)} --out ${path.relative(process.cwd(), runDir)}`);
    const out = lineWriter(options.log);
    const timer = new Stopwatch();
    const code = await recurrent(['fit', file, '--out', runDir, '--seed', String(options.seed), '--overwrite'], {
      out: out.write,
      err: out.write,
      interactive: false,
    });
    out.flush();
    if (code !== 0) throw new Error(`recurrent fit ${file} exited with code ${code}`);
    const history = JSON.parse(fs.readFileSync(path.join(runDir, 'history.json'), 'utf8')) as CliHistory;
    const last = history.epoch[history.epoch.length - 1];
    const final: Record<string, number | null> = {};
    for (const [name, values] of Object.entries(history.history)) final[name] = values[values.length - 1];
    results.push({
      config,
      seconds: timer.total,
      epochs: history.epoch.length,
      final,
      firstEpochSamples: samplesOf(history, history.epoch[0]),
      lastEpochSamples: samplesOf(history, last),
    });
  }
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, environment: environment(), results });
  options.log(`\nresults written to ${path.join(options.outDir, 'results.json')}`);
  return results;
}

if (require.main === module) runMain('text-generation', run);
