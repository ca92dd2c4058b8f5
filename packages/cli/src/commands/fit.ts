import * as fs from 'fs';
import * as path from 'path';
import { Callback, ProgbarLogger, deleteBackup, setSeed } from '@recurrent/core';
import { indexedExamples } from '../data/example_set';
import { PreparedData } from '../data/prepared_data';
import { writePreprocessingState } from '../data/preprocessing_state';
import { InterruptedError } from '../errors';
import { checkFolderPath, ensureFolder } from '../output_paths';
import { LoadedExperiment, loadExperiment } from '../experiment/load_experiment';
import { Model } from '../library';
import { Output } from '../output';
import { checkResumable, checkpointCallback, checkpointDir, checkpointToResume, fingerprintOf } from '../training/fit_checkpoint';
import { makeCallbacks } from '../training/fit_callbacks';
import { RESULT_FILES, reportCallback, saveResults, textSampler } from '../training/fit_outputs';
import { InterruptFlag, StopOnInterrupt } from '../training/interrupt';
import { assemble, throwIssues } from './assemble';

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

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/**
 * `recurrent fit`: trains an experiment through the library's fit, with the report, the text samples,
 * the checkpoint and Ctrl-C as callbacks, then writes the model and removes the checkpoint.
 */
export async function runFit(experimentFile: string, flags: FitFlags, output: Output): Promise<void> {
  const loaded = loadExperiment(experimentFile);
  const experiment = loaded.experiment;
  if (flags.epochs !== undefined) experiment.fit.epochs = flags.epochs;
  if (flags.batchSize !== undefined) experiment.fit.batchSize = flags.batchSize;
  const outDir = outputDir(loaded, flags.out);
  checkFolderPath(outDir, flags.out !== undefined ? '--out' : 'the output folder');

  const resumed = checkpointToResume(outDir, flags);
  const seed = (resumed?.metadata.seed as number | undefined) ?? flags.seed ?? experiment.seed ?? randomSeed();
  const assembly = assemble(loaded, seed, { compile: true, seedModel: setSeed });
  throwIssues(loaded, assembly.issues);
  const prepared = assembly.prepared as PreparedData;
  const model = assembly.model as Model;
  const fingerprint = fingerprintOf(experiment, assembly.modelJson, seed);
  if (resumed !== null) {
    checkResumable(resumed, fingerprint, experiment.fit.epochs);
    const where = `${shown(checkpointDir(outDir))} at epoch ${resumed.epoch + 1}${resumed.batch > 0 ? `, batch ${resumed.batch + 1}` : ''}`;
    output.out(resumed.epoch === experiment.fit.epochs ? `resuming ${shown(checkpointDir(outDir))}: training had finished; writing the results\n` : `resuming ${where}\n`);
  }

  ensureFolder(outDir, flags.out !== undefined ? '--out' : 'the output folder');
  writePreprocessingState(outDir, prepared.state);
  const verbose = experiment.fit.verbose ?? 1;
  const print = (text: string) => {
    if (verbose > 0) output.out(text);
  };
  const validationSize = prepared.validation?.size ?? 0;
  print(`training on ${prepared.train.size} examples${validationSize > 0 ? `, validating on ${validationSize}` : ''} (seed ${seed})\n`);

  const report = reportCallback(outDir, model, prepared, loaded, seed);
  const checkpoint = checkpointCallback(outDir, seed, fingerprint);
  const interrupt = new InterruptFlag().listen();
  const callbacks: Callback[] = [
    ...(verbose > 0 ? [new ProgbarLogger({ stream: { write: (t: string) => output.out(t), isTTY: output.interactive } })] : []),
    ...makeCallbacks(experiment.fit.callbacks, (line) => output.out(`${line}\n`), loaded.file),
    ...(experiment.generate?.everyEpoch ? [textSampler(prepared, experiment.generate, seed, (t) => output.out(t), report)] : []),
    report,
    checkpoint,
    new StopOnInterrupt(interrupt, checkpoint),
  ];
  const { batchSize } = experiment.fit;
  // A stateful model carries its states from batch to batch: only full batches, in order.
  const trainCount = model.stateful ? Math.floor(prepared.train.size / batchSize) * batchSize : prepared.train.size;
  try {
    await model.fit(indexedExamples(prepared.train, trainCount), undefined, {
      epochs: experiment.fit.epochs,
      batchSize,
      verbose,
      shuffle: experiment.fit.shuffle && !model.stateful,
      stepsPerEpoch: experiment.fit.stepsPerEpoch,
      initialEpoch: experiment.fit.initialEpoch,
      validationData: prepared.validation === null ? undefined : indexedExamples(prepared.validation),
      validationBatchSize: experiment.fit.validationBatchSize,
      validationFreq: experiment.fit.validationFreq,
      classWeight: experiment.fit.classWeight,
      callbacks,
    });
  } catch (e) {
    if (e instanceof InterruptedError) {
      output.err(`${e.message}; checkpoint written to ${checkpointDir(outDir)}\nresume with: recurrent fit ${shown(experimentFile)} --resume${flags.out ? ` --out ${flags.out}` : ''}\n`);
    }
    throw e;
  } finally {
    interrupt.dispose();
  }
  const epochs = report.log.epoch.length;
  if (model.stopTraining && epochs > 0) print(`training stopped by a callback after epoch ${report.log.epoch[epochs - 1]}\n`);
  // The checkpoint goes last: a kill before leaves it, and --resume completes what is missing.
  saveResults(outDir, model, prepared, loaded, seed, assembly.modelJson);
  deleteBackup(checkpointDir(outDir));
  const final = Object.entries(report.log.history)
    .map(([k, v]) => `${k} ${v[v.length - 1]?.toFixed(4) ?? '-'}`)
    .join(', ');
  output.out(`saved to ${outDir}: ${RESULT_FILES.join(', ')} (${final})\n`);
}
