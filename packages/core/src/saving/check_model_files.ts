/**
 * `checkModelFiles(location)`: everything loadModel checks, without loading: the file structure (a weights
 * manifest and its files, an archive, an HDF5 file), the model config, the stored weights against the model
 * (names, shapes, dtypes) and the training config, every problem of every stage at once. A file with no
 * problems loads; a training config that cannot be used is a note (the model loads uncompiled).
 */
import * as path from 'path';
import { ConfigError, IssueCollector, type ConfigIssue } from '../config/config_error';
import { openKerasFileSource } from './keras/keras_file_source';
import { kerasFileKind } from './keras/keras_format';
import { buildFromSource, type ModelSource } from './model_source';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read_model_files';
import { openTfjsModelSource } from './tfjs_model_source';
import { readTrainingConfig } from './training_config_reader';
import { compileFromTrainingConfig } from './training_state';

export interface ModelFilesCheck {
  /** The file checked (model.json, .keras, .h5). */
  file: string;
  /** What makes loading fail, every stage's problems. */
  problems: ConfigIssue[];
  /** Why the stored training config would be skipped on loading (the model then loads uncompiled), or null. */
  trainingNote: string | null;
  /** Whether a training config is stored at all. */
  hasTrainingConfig: boolean;
  /** The model, when it can be built: its layer and parameter counts and how many weights the file sets. */
  model: { layers: number; parameters: number; weights: number } | null;
}

function noteOf(problems: string[]): string | null {
  return problems.length === 0 ? null : problems.join('; ');
}

export interface CheckModelFilesOptions {
  /** Limits on file sizes and JSON depth, as for loadModel. */
  limits?: Partial<ReadLimits>;
  /** Accept files a model.json names outside its folder, as for loadModel. */
  allowFilesOutsideFolder?: boolean;
}

/** Runs `check`, adding the problems of a ConfigError it throws to `issues`. */
function collect(issues: IssueCollector, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const i of e.issues) issues.add(i.path, i.message);
  }
}

/** Checks a model folder, model.json, .keras or .h5 file as loadModel would read it. */
export async function checkModelFiles(location: string, opts: CheckModelFilesOptions = {}): Promise<ModelFilesCheck> {
  const limits = { ...DEFAULT_READ_LIMITS, ...(opts.limits ?? {}) };
  const issues = new IssueCollector();
  let source: ModelSource;
  try {
    if (kerasFileKind(location) !== null) {
      source = await openKerasFileSource(path.resolve(location), limits, issues);
    } else {
      source = openTfjsModelSource(location, { limits, allowFilesOutsideFolder: opts.allowFilesOutsideFolder }, issues);
      // Loading (with compile) also checks and reads the optimizer state saved beside model.json.
      if (source.trainingConfig && issues.empty) collect(issues, () => source.openOptimizerState?.()?.());
    }
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { file: e.source, problems: [...e.issues], trainingNote: null, hasTrainingConfig: false, model: null };
  }
  try {
    const { model, assignments } = buildFromSource(source, issues);
    // The bytes of files that record their hashes are compared with them, as loading does (in bounded pieces, none kept).
    if (issues.empty) collect(issues, () => source.verifyWeightFiles?.());
    // Without a model, the training config is still read (what does not map is known); compiling needs the model.
    let note = source.trainingConfig && !model ? noteOf(readTrainingConfig(source.trainingConfig).problems) : null;
    let summary: ModelFilesCheck['model'] = null;
    if (model) {
      try {
        if (source.trainingConfig) note = compileFromTrainingConfig(model, source.trainingConfig);
        summary = { layers: model.layers.length, parameters: model.weights.reduce((n, w) => n + w.size, 0), weights: assignments.length };
      } finally {
        model.dispose();
      }
    }
    return { file: source.file, problems: [...issues.issues], trainingNote: note, hasTrainingConfig: source.trainingConfig !== null, model: summary };
  } finally {
    source.close?.();
  }
}
