/**
 * `loadModel(path)`: a model from a folder (or a model.json) written by `saveModel`, by @tensorflow/tfjs
 * (`model.save`, `tf.io.withSaveHandler` artifacts written to disk) or by the TensorFlow.js converter from a
 * Keras model (`model_config` wrapper, sharded `group1-shard1ofN.bin`, several groups).
 */
import * as fs from 'fs';
import { createHash } from 'crypto';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, IssueCollector } from '../config/config_error';
import { buildModel } from '../config/model_from_json';
import { modelConfigFromJson } from '../config/model_config_from_json';
import type { Model } from '../models/model';
import { DEFAULT_READ_LIMITS, INTEGRITY_KEY, readModelFiles, type ReadLimits } from './read_model_files';
import { OPTIMIZER_JSON } from './saved_artifacts';
import { restoreTrainingState } from './training_state';
import type { DecodedWeight } from './weight_codec';
import { matchWeightName } from './weight_names';

export interface LoadModelOptions {
  /** Compile the model from the saved training config (and restore the optimizer state). Default true. */
  compile?: boolean;
  /** Limits on file sizes and JSON depth. */
  limits?: Partial<ReadLimits>;
}

/** Puts the file's weights into the model, by name; every mismatch is reported, nothing is set unless all fit. */
export function assignWeights(model: Model, weights: DecodedWeight[], source: string): void {
  const issues = new IssueCollector();
  const byName = new Map(model.weights.map((w) => [w.name, w]));
  const names = new Set(byName.keys());
  const assigned = new Map<string, DecodedWeight>();
  // Names that a file weight claimed, even with a wrong shape: those get one problem, not two.
  const claimed = new Set<string>();
  for (const w of weights) {
    const target = matchWeightName(w.spec.name, names);
    if (target === undefined) {
      issues.add(`weightsManifest: ${w.spec.name}`, `the model has no weight of this name (its weights: ${[...names].slice(0, 8).join(', ')}${names.size > 8 ? ', ...' : ''})`);
      continue;
    }
    if (assigned.has(target)) {
      issues.add(`weightsManifest: ${w.spec.name}`, `sets '${target}', which '${assigned.get(target)!.spec.name}' already set`);
      continue;
    }
    claimed.add(target);
    const variable = byName.get(target)!;
    const expected = variable.shape;
    if (expected.length !== w.spec.shape.length || expected.some((d, i) => d !== w.spec.shape[i])) {
      issues.add(`weightsManifest: ${w.spec.name}`, `shape [${w.spec.shape.join(', ')}] does not match the model's '${target}' of shape [${expected.join(', ')}]`);
      continue;
    }
    const expectedDtype = variable.dtype === 'int32' ? 'int32' : 'float32';
    if (expectedDtype !== w.dtype) {
      issues.add(`weightsManifest: ${w.spec.name}`, `dtype ${w.spec.dtype} does not match the model's '${target}' (${expectedDtype})`);
      continue;
    }
    assigned.set(target, w);
  }
  for (const name of names) {
    if (!claimed.has(name)) issues.add('weightsManifest', `no value for the model's weight '${name}'`);
  }
  issues.throwIfAny(source);
  for (const [name, w] of assigned) {
    const t = tf.tensor(w.values, w.spec.shape, w.dtype);
    try {
      byName.get(name)!.write(t);
    } finally {
      t.dispose();
    }
  }
}

/** optimizer.json next to model.json, when model.json vouches for it (same save). */
function readOptimizerState(jsonPath: string, json: Record<string, unknown>, limits: ReadLimits): DecodedWeight[] | null {
  const integrity = json[INTEGRITY_KEY];
  if (!integrity || typeof integrity !== 'object' || !(OPTIMIZER_JSON in integrity)) return null;
  const optimizerPath = path.join(path.dirname(jsonPath), OPTIMIZER_JSON);
  if (!fs.existsSync(optimizerPath)) {
    throw new ConfigError(jsonPath, [{ path: INTEGRITY_KEY, message: `lists ${OPTIMIZER_JSON}, which is missing; copy the whole folder, or load with { compile: false }` }]);
  }
  const expected = (integrity as Record<string, { sha256?: unknown }>)[OPTIMIZER_JSON]?.sha256;
  const actual = createHash('sha256').update(fs.readFileSync(optimizerPath)).digest('hex');
  if (expected !== actual) {
    throw new ConfigError(jsonPath, [{ path: INTEGRITY_KEY, message: `${OPTIMIZER_JSON} does not belong to this model.json (SHA-256 differs): the files come from different saves; save again, or load with { compile: false }` }]);
  }
  return readModelFiles(optimizerPath, limits, { format: 'optimizer-state' }).weights;
}

/** Loads a model synchronously. `location` is a folder holding model.json, or the path of the .json file. */
export function loadModelSync(location: string, opts: LoadModelOptions = {}): Model {
  const limits = { ...DEFAULT_READ_LIMITS, ...(opts.limits ?? {}) };
  const files = readModelFiles(location, limits);
  const model = buildModel(modelConfigFromJson(files.topology, files.jsonPath), files.jsonPath);
  try {
    const modelWeights = files.weights.filter((w) => w.spec.group !== 'optimizer');
    assignWeights(model, modelWeights, files.jsonPath);
    if (opts.compile !== false && files.trainingConfig) {
      const optimizerState = readOptimizerState(files.jsonPath, files.json, limits);
      restoreTrainingState(model, files.trainingConfig, optimizerState);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Loads a model (see loadModelSync); a Promise for symmetry with TensorFlow.js's loadLayersModel. */
export async function loadModel(location: string, opts: LoadModelOptions = {}): Promise<Model> {
  return loadModelSync(location, opts);
}
