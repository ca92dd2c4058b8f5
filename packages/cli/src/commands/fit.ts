import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SeededRandom, Tokenizer, deriveSeed, setSeed } from '@recurrent/core';
import { PreparedData } from '../data/prepared_data';
import { writeFileAtomic, writePreprocessingState } from '../data/preprocessing_state';
import { InterruptedError, UsageError } from '../errors';
import { Experiment, GenerateSection } from '../experiment/experiment_schema';
import { TextData } from '../experiment/data_schema';
import { LoadedExperiment, loadExperiment } from '../experiment/load_experiment';
import { generateTokens, joinTokens } from '../inference/sampling';
import { Model, predictor, saveTrainedModel, summaryText, trainingModel } from '../library';
import { Output } from '../output';
import { History, emptyHistory, historyCsv } from '../report/history';
import { historyCharts, trainingReportHtml } from '../report/training_report';
import { CheckpointState, TrainingPosition, findCheckpoint, readCheckpointState, removeCheckpoint, restoreCheckpoint, writeCheckpoint } from '../training/checkpoint';
import { InterruptFlag } from '../training/interrupt';
import { ProgressReporter } from '../training/progress';
import { callbackStates, loopCallbacks, makeCallbacks, restoreCallbackStates } from '../training/fit_callbacks';
import { trainLoop } from '../training/train_loop';
import { assemble, throwIssues } from './assemble';
import { environmentFacts } from './info';

export interface FitFlags {
  epochs?: number;
  batchSize?: number;
  seed?: number;
  out?: string;
  resume?: boolean;
  overwrite?: boolean;
}

/** The output folder: --out (from the current folder), else the experiment's `output`, else runs/<name>. */
export function outputDir(loaded: LoadedExperiment, flag?: string): string {
  if (flag !== undefined) return path.resolve(flag);
  if (loaded.experiment.output !== undefined) return path.resolve(loaded.dir, loaded.experiment.output);
  return path.resolve(loaded.dir, 'runs', path.basename(loaded.file).replace(/\.json$/i, ''));
}

/** What must not change between a run and its resumption. */
function fingerprintOf(experiment: Experiment, modelJson: unknown, seed: number): string {
  const { data, compile, fit } = experiment;
  const relevant = { data, compile, modelJson, seed, batchSize: fit.batchSize, shuffle: fit.shuffle, stepsPerEpoch: fit.stepsPerEpoch };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** `recurrent fit`: trains an experiment and writes the model, its preprocessing, history and report. */
export async function runFit(experimentFile: string, flags: FitFlags, output: Output): Promise<void> {
  const loaded = loadExperiment(experimentFile);
  const experiment = loaded.experiment;
  if (flags.epochs !== undefined) experiment.fit.epochs = flags.epochs;
  if (flags.batchSize !== undefined) experiment.fit.batchSize = flags.batchSize;
  const outDir = outputDir(loaded, flags.out);

  const checkpointDir = findCheckpoint(outDir);
  let checkpoint: CheckpointState | null = null;
  if (flags.resume) {
    if (checkpointDir === null) throw new UsageError(`nothing to resume: ${outDir} has no checkpoint`, 'run without --resume to start training');
    checkpoint = readCheckpointState(checkpointDir);
    if (flags.seed !== undefined && flags.seed !== checkpoint.seed) {
      throw new UsageError(`--seed ${flags.seed} differs from the checkpoint's seed ${checkpoint.seed}`, 'resume without --seed');
    }
  } else if (checkpointDir !== null && !flags.overwrite) {
    throw new UsageError(`${checkpointDir} holds an interrupted run`, 'pass --resume to continue it, or --overwrite to start again');
  }
  const seed = checkpoint?.seed ?? flags.seed ?? experiment.seed ?? randomSeed();

  const assembly = assemble(loaded, seed, { compile: true, seedModel: setSeed });
  throwIssues(loaded, assembly.issues);
  const prepared = assembly.prepared as PreparedData;
  const model = assembly.model as Model;
  const fingerprint = fingerprintOf(experiment, assembly.modelJson, seed);
  const classWeight = experiment.fit.classWeight;
  const training = trainingModel(model, classWeight);

  let start: TrainingPosition = { epoch: experiment.fit.initialEpoch ?? 0, batch: 0, partial: null, history: emptyHistory(), rngState: null };
  if (checkpoint !== null && checkpointDir !== null) {
    if (checkpoint.fingerprint !== fingerprint) {
      throw new UsageError(
        `the experiment changed since the checkpoint in ${checkpointDir} (data, model, compile, batch size or shuffling)`,
        'resume with the same settings (only --epochs may change), or start again with --overwrite',
      );
    }
    restoreCheckpoint(checkpointDir, checkpoint, training);
    start = { epoch: checkpoint.epoch, batch: checkpoint.batch, partial: checkpoint.partial, history: checkpoint.history, rngState: checkpoint.rngState };
    output.out(`resuming ${path.relative(process.cwd(), checkpointDir) || checkpointDir} at epoch ${start.epoch + 1}${start.batch > 0 ? `, batch ${start.batch + 1}` : ''}\n`);
  } else if (checkpointDir !== null) {
    removeCheckpoint(outDir);
  }
  if (start.epoch >= experiment.fit.epochs) {
    throw new UsageError(`the checkpoint is at epoch ${start.epoch}, which already reaches --epochs ${experiment.fit.epochs}`, 'pass a larger --epochs to train further');
  }

  fs.mkdirSync(outDir, { recursive: true });
  writePreprocessingState(outDir, prepared.state);
  const verbose = experiment.fit.verbose ?? 1;
  const progressStream = verbose === 0 ? { write: () => true } : { write: (t: string) => output.out(t), isTTY: output.interactive, columns: process.stdout.columns };
  const progress = new ProgressReporter(progressStream, verbose === 1 ? output.interactive : false);
  const validationSize = prepared.validation?.size ?? 0;
  progress.line(`training on ${prepared.train.size} examples${validationSize > 0 ? `, validating on ${validationSize}` : ''} (seed ${seed})`);

  const callbacks = makeCallbacks(experiment.fit.callbacks, (line) => progress.line(line), loaded.file);
  const batches = Math.min(
    model.stateful ? Math.floor(prepared.train.size / experiment.fit.batchSize) : Math.ceil(prepared.train.size / experiment.fit.batchSize),
    experiment.fit.stepsPerEpoch ?? Infinity,
  );
  const savedCallbackStates = checkpoint?.callbacks;
  const sampler = experiment.generate !== undefined && experiment.generate.everyEpoch ? textSampler(model, prepared, experiment.generate, seed, output) : undefined;
  const interrupt = new InterruptFlag().listen();
  const started = Date.now();
  let history: History;
  try {
    history = await trainLoop({
      model: training,
      train: prepared.train,
      validation: prepared.validation,
      epochs: experiment.fit.epochs,
      batchSize: experiment.fit.batchSize,
      shuffle: experiment.fit.shuffle && !model.stateful,
      dropRemainder: model.stateful,
      stepsPerEpoch: experiment.fit.stepsPerEpoch,
      validationBatchSize: experiment.fit.validationBatchSize,
      validationFreq: experiment.fit.validationFreq,
      seed,
      start,
      progress,
      interrupt,
      checkpoint: (position) => writeCheckpoint(outDir, training, { ...position, callbacks: callbackStates(callbacks) }, seed, fingerprint),
      callbacks: loopCallbacks(callbacks, model, experiment.fit.epochs, batches, verbose),
      afterTrainBegin: () => {
        if (savedCallbackStates !== undefined) restoreCallbackStates(callbacks, savedCallbackStates);
      },
      afterEpoch: sampler,
    });
  } catch (e) {
    if (e instanceof InterruptedError) {
      const shown = path.relative(process.cwd(), experimentFile) || experimentFile;
      output.err(`${e.message}; checkpoint written to ${path.join(outDir, 'checkpoint')}\nresume with: recurrent fit ${shown} --resume${flags.out ? ` --out ${flags.out}` : ''}\n`);
    }
    throw e;
  } finally {
    interrupt.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  writeResults(outDir, model, prepared, history, loaded, { seed, seconds, modelJson: assembly.modelJson });
  removeCheckpoint(outDir);
  const final = Object.entries(history.history)
    .map(([k, v]) => `${k} ${v[v.length - 1]?.toFixed(4) ?? '-'}`)
    .join(', ');
  output.out(`saved to ${outDir}: model.json, weights.bin, preprocessing.json, history.json, history.csv, report.html (${final})\n`);
}

/** Samples text after each epoch at every configured temperature, printed as they come. */
function textSampler(model: Model, prepared: PreparedData, settings: GenerateSection, seed: number, output: Output) {
  const data = prepared.state.data as TextData;
  const tokenizer = Tokenizer.fromJSON(prepared.state.tokenizer as never);
  const predict = predictor(model);
  return (epoch: number, history: History) => {
    let primeIds: number[];
    if (settings.prime !== undefined) {
      primeIds = tokenizer.textToSequence(settings.prime);
    } else {
      const corpus = prepared.corpusIds as ArrayLike<number>;
      const at = new SeededRandom(deriveSeed(seed, 'prime', epoch)).nextInt(Math.max(1, corpus.length - data.seqLength));
      primeIds = Array.from(corpus).slice(at, at + data.seqLength);
    }
    const prime = joinTokens(tokenizer.sequenceToTokens(primeIds), data.level, false);
    settings.temperatures.forEach((temperature, k) => {
      output.out(`--- sample after epoch ${epoch + 1}, temperature ${temperature} ---\n${prime}`);
      const random = new SeededRandom(deriveSeed(seed, 'sample', epoch, k));
      let first = true;
      const tokens = generateTokens({
        predict,
        state: prepared.state,
        tokenizer,
        primeIds,
        length: settings.length,
        temperature,
        random,
        onToken: (token) => {
          output.out(joinTokens([token], data.level, !first || primeIds.length > 0));
          first = false;
        },
      });
      output.out('\n');
      (history.samples ??= []).push({ epoch: epoch + 1, temperature, prime, text: joinTokens(tokens, data.level, primeIds.length > 0) });
    });
  };
}

/** Writes the trained model and everything that goes with it. */
function writeResults(
  outDir: string,
  model: Model,
  prepared: PreparedData,
  history: History,
  loaded: LoadedExperiment,
  run: { seed: number; seconds: number; modelJson: unknown },
): void {
  saveTrainedModel(model, outDir);
  writePreprocessingState(outDir, prepared.state);
  const resolved = { ...loaded.experiment, seed: run.seed, model: run.modelJson };
  writeFileAtomic(path.join(outDir, 'experiment.json'), JSON.stringify(resolved, null, 2) + '\n');
  writeFileAtomic(path.join(outDir, 'history.json'), JSON.stringify(history, null, 2) + '\n');
  writeFileAtomic(path.join(outDir, 'history.csv'), historyCsv(history));
  const plots = path.join(outDir, 'plots');
  fs.mkdirSync(plots, { recursive: true });
  for (const chart of historyCharts(history)) writeFileAtomic(path.join(plots, `${chart.name}.svg`), chart.svg);
  const experiment = loaded.experiment;
  const facts: [string, string][] = [
    ['experiment', loaded.file],
    ['data', `${experiment.data.kind} from ${experiment.data.path ?? `dataset ${experiment.data.dataset}`}`],
    ['examples', `${prepared.train.size} training, ${prepared.validation?.size ?? 0} validation`],
    ['sizes', Object.entries(prepared.state.dims).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['epochs', `${history.epoch.length} (batch size ${experiment.fit.batchSize})`],
    ['seed', String(run.seed)],
    ['parameters', String(model.countParams())],
    ['training time', `${run.seconds.toFixed(1)} s`],
    ...environmentFacts().filter(([k]) => ['tfjs backend', 'kernel implementation', 'threads'].includes(k)),
  ];
  const html = trainingReportHtml(history, { title: experiment.name ?? path.basename(loaded.file), facts, summary: summaryText(model) });
  writeFileAtomic(path.join(outDir, 'report.html'), html);
}
