/**
 * `loadModel(path)`: a model from a folder (or a model.json) written by `saveModel`, by @tensorflow/tfjs
 * (`model.save`, `tf.io.withSaveHandler` artifacts written to disk) or by the TensorFlow.js converter from a
 * Keras model (`model_config` wrapper, sharded `group1-shard1ofN.bin`, several groups); or a Keras file
 * (.keras archive, Keras 2 .h5), read by keras_file_source.ts.
 */
import * as path from 'path';
import { ConfigError, IssueCollector } from '../config/config_error';
import type { Model } from '../models/model';
import { warn } from '../training/logs';
import { openKerasFileSource } from './keras/keras_file_source';
import { kerasFileKind } from './keras/keras_format';
import { buildFromSource, writeAssignments, type ModelSource } from './model_source';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read_model_files';
import { openTfjsModelSource } from './tfjs_model_source';
import { restoreTrainingState, uncompiledWarning } from './training_state';

export interface LoadModelOptions {
  /** Compile the model from the saved training config (and restore the optimizer state). Default true. */
  compile?: boolean;
  /** Limits on file sizes and JSON depth. */
  limits?: Partial<ReadLimits>;
  /**
   * Accept weight files (and optimizer state) whose real path is outside the model's folder, such as a
   * folder of symbolic links into git-annex. Default false: a model.json cannot make the loader read
   * files elsewhere.
   */
  allowFilesOutsideFolder?: boolean;
}

/** Builds the model, checks and writes its weights, and compiles it from its training config (or warns why not). */
function finishLoading(source: ModelSource, issues: IssueCollector, opts: LoadModelOptions): Model {
  try {
    return buildAndCompile(source, issues, opts);
  } finally {
    source.close?.();
  }
}

function buildAndCompile(source: ModelSource, issues: IssueCollector, opts: LoadModelOptions): Model {
  const { model, assignments } = buildFromSource(source, issues);
  if (model === null || !issues.empty) {
    model?.dispose();
    issues.throwIfAny(source.file);
    throw new ConfigError(source.file, [{ path: '', message: 'no model could be built from this file' }]);
  }
  try {
    // Everything that can be checked without the weights' bytes is checked before any is read.
    const trainingConfig = opts.compile === false ? null : source.trainingConfig;
    const readOptimizerState = trainingConfig ? source.openOptimizerState?.() ?? null : null;
    writeAssignments(assignments, source.file);
    if (trainingConfig) {
      const skipped = restoreTrainingState(model, trainingConfig, readOptimizerState ? readOptimizerState() : null);
      if (skipped !== null) warn(uncompiledWarning(source.file, skipped));
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Loads a model synchronously from a TensorFlow.js layers-model: `location` is a folder holding model.json,
 * or the path of the .json file. Keras files (.keras, .h5) need `await loadModel(...)`.
 */
export function loadModelSync(location: string, opts: LoadModelOptions = {}): Model {
  const kind = kerasFileKind(location);
  if (kind !== null) {
    throw new ConfigError(String(location), [{ path: '', message: `a Keras ${kind} file is read asynchronously (its HDF5 reader is WebAssembly); use \`await loadModel(path)\`` }]);
  }
  const limits = { ...DEFAULT_READ_LIMITS, ...(opts.limits ?? {}) };
  const issues = new IssueCollector();
  const source = openTfjsModelSource(location, { limits, allowFilesOutsideFolder: opts.allowFilesOutsideFolder }, issues);
  return finishLoading(source, issues, opts);
}

/**
 * Loads a model: a TensorFlow.js layers-model folder or model.json (ours, tfjs's, the converter's), a Keras 3
 * `.keras` archive, or a Keras 2 `.h5` file. Every problem of the file is reported at once. A training config
 * that cannot be used leaves the model uncompiled, with one warning saying what was skipped.
 */
export async function loadModel(location: string, opts: LoadModelOptions = {}): Promise<Model> {
  if (kerasFileKind(location) === null) return loadModelSync(location, opts);
  const limits = { ...DEFAULT_READ_LIMITS, ...(opts.limits ?? {}) };
  const issues = new IssueCollector();
  const source = await openKerasFileSource(path.resolve(location), limits, issues);
  return finishLoading(source, issues, opts);
}
