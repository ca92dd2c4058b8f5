/**
 * What `recurrent fit` writes besides the checkpoint: the report callback (history.json, history.csv,
 * report.html, plots/, written when training ends), the text sampler of text experiments, and the
 * final save of the model with its preprocessing and the resolved experiment.
 */
import * as path from 'path';
import { SeededRandom, TextSampler, Tokenizer, TrainingReport, deriveSeed } from '@recurrent/core';
import { PreparedData } from '../data/prepared_data';
import { writeFileAtomic, writePreprocessingState } from '../data/preprocessing_state';
import { GenerateSection } from '../experiment/experiment_schema';
import { TextData } from '../experiment/data_schema';
import { LoadedExperiment } from '../experiment/load_experiment';
import { Model, saveTrainedModel, summaryText } from '../library';
import { environmentFacts } from '../commands/info';

export const RESULT_FILES = ['model.json', 'weights.bin', 'preprocessing.json', 'history.json', 'history.csv', 'report.html'];

/** The report of a run, with the facts of the experiment, the data and the machine. */
export function reportCallback(outDir: string, model: Model, prepared: PreparedData, loaded: LoadedExperiment, seed: number): TrainingReport {
  const experiment = loaded.experiment;
  const report: TrainingReport = new TrainingReport({
    dir: outDir,
    title: experiment.name ?? path.basename(loaded.file),
    summary: summaryText(model),
    facts: () => [
      ['experiment', loaded.file],
      ['data', `${experiment.data.kind} from ${experiment.data.path ?? `dataset ${experiment.data.dataset}`}`],
      ['examples', `${prepared.train.size} training, ${prepared.validation?.size ?? 0} validation`],
      ['sizes', Object.entries(prepared.state.dims).map(([k, v]) => `${k}=${v}`).join(', ')],
      ['epochs', `${report.log.epoch.length} (batch size ${experiment.fit.batchSize})`],
      ['seed', String(seed)],
      ['parameters', String(model.countParams())],
      ['training time', `${report.log.seconds.reduce((a, b) => a + b, 0).toFixed(1)} s`],
      ...environmentFacts().filter(([k]) => ['tfjs backend', 'kernel implementation', 'threads'].includes(k)),
    ],
  });
  return report;
}

/**
 * Text samples after each epoch at every configured temperature. Without a prime, each epoch starts
 * from a window of the corpus chosen by (seed, epoch).
 */
export function textSampler(prepared: PreparedData, settings: GenerateSection, seed: number, print: (text: string) => void, report: TrainingReport): TextSampler {
  const data = prepared.state.data as TextData;
  const corpus = prepared.corpusIds as ArrayLike<number>;
  const prime =
    settings.prime ??
    ((epoch: number) => {
      const at = new SeededRandom(deriveSeed(seed, 'prime', epoch)).nextInt(Math.max(1, corpus.length - data.seqLength));
      return Array.from({ length: Math.min(data.seqLength, corpus.length - at) }, (_, i) => corpus[at + i]);
    });
  return new TextSampler({
    tokenizer: Tokenizer.fromJSON(prepared.state.tokenizer as never),
    seqLength: data.seqLength,
    encoding: data.encoding === 'oneHot' ? 'oneHot' : 'ids',
    vocabularySize: prepared.state.dims.vocabSize,
    temperatures: settings.temperatures,
    length: settings.length,
    prime,
    seed,
    print,
    onSample: (sample) => report.addSample(sample),
  });
}

/** The final save: the trained model, its preprocessing state and the experiment as it was run. */
export function saveResults(outDir: string, model: Model, prepared: PreparedData, loaded: LoadedExperiment, seed: number, modelJson: unknown): void {
  saveTrainedModel(model, outDir);
  writePreprocessingState(outDir, prepared.state);
  const resolved = { ...loaded.experiment, seed, model: modelJson };
  writeFileAtomic(path.join(outDir, 'experiment.json'), JSON.stringify(resolved, null, 2) + '\n');
}
