/**
 * `loadModel(path)`: a model from a folder (or a model.json) written by `saveModel`, by @tensorflow/tfjs
 * (`model.save`, `tf.io.withSaveHandler` artifacts written to disk) or by the TensorFlow.js converter from a
 * Keras model (`model_config` wrapper, sharded `group1-shard1ofN.bin`, several groups).
 */
import { createHash } from 'crypto';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, IssueCollector } from '../config/config_error';
import { buildModel } from '../config/model_from_json';
import { modelConfigFromJson } from '../config/model_config_from_json';
import type { LayerVariable } from '../engine/variable';
import type { Model } from '../models/model';
import { DEFAULT_READ_LIMITS, INTEGRITY_KEY, openModelFolder, readWeights, type ModelFolder, type ReadLimits } from './read_model_files';
import { OPTIMIZER_JSON_NAMES } from './saved_artifacts';
import { restoreTrainingState } from './training_state';
import type { DecodedWeight } from './weight_codec';
import { matchWeightName } from './weight_names';
import type { WeightSpec } from './weights_manifest';

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

/**
 * Which model weight each manifest entry sets, decided from the manifest alone (before any weight byte is
 * read): every mismatch of name, shape or dtype is reported, and every model weight must get a value.
 */
export function matchWeights(model: Model, specs: readonly WeightSpec[], source: string): Map<WeightSpec, LayerVariable> {
  const issues = new IssueCollector();
  const byName = new Map(model.weights.map((w) => [w.name, w]));
  const names = new Set(byName.keys());
  const assigned = new Map<string, WeightSpec>();
  const targets = new Map<WeightSpec, LayerVariable>();
  // Names that a file weight claimed, even with a wrong shape: those get one problem, not two.
  const claimed = new Set<string>();
  for (const spec of specs) {
    const target = matchWeightName(spec.name, names);
    if (target === undefined) {
      issues.add(`weightsManifest: ${spec.name}`, `the model has no weight of this name (its weights: ${[...names].slice(0, 8).join(', ')}${names.size > 8 ? ', ...' : ''})`);
      continue;
    }
    if (assigned.has(target)) {
      issues.add(`weightsManifest: ${spec.name}`, `sets '${target}', which '${assigned.get(target)!.name}' already set`);
      continue;
    }
    claimed.add(target);
    const variable = byName.get(target)!;
    const expected = variable.shape;
    if (expected.length !== spec.shape.length || expected.some((d, i) => d !== spec.shape[i])) {
      issues.add(`weightsManifest: ${spec.name}`, `shape [${spec.shape.join(', ')}] does not match the model's '${target}' of shape [${expected.join(', ')}]`);
      continue;
    }
    const expectedDtype = variable.dtype === 'int32' ? 'int32' : 'float32';
    const storedDtype = spec.dtype === 'bool' ? 'int32' : spec.dtype;
    if (expectedDtype !== storedDtype) {
      issues.add(`weightsManifest: ${spec.name}`, `dtype ${spec.dtype} does not match the model's '${target}' (${expectedDtype})`);
      continue;
    }
    assigned.set(target, spec);
    targets.set(spec, variable);
  }
  for (const name of names) {
    if (!claimed.has(name)) issues.add('weightsManifest', `no value for the model's weight '${name}'`);
  }
  issues.throwIfAny(source);
  return targets;
}

/** Puts the file's weights into the model, by name; every mismatch is reported, nothing is set unless all fit. */
export function assignWeights(model: Model, weights: DecodedWeight[], source: string): void {
  const targets = matchWeights(model, weights.map((w) => w.spec), source);
  writeWeights(weights, targets);
}

function writeWeights(weights: readonly DecodedWeight[], targets: ReadonlyMap<WeightSpec, LayerVariable>): void {
  for (const w of weights) {
    const t = tf.tensor(w.values, w.spec.shape, w.dtype);
    try {
      targets.get(w.spec)!.write(t);
    } finally {
      t.dispose();
    }
  }
}

/**
 * The optimizer state file next to model.json, when model.json vouches for it (same save): read within
 * the JSON size limit, its bytes compared with the recorded SHA-256 before they are parsed, its shards
 * checked; no optimizer weight is read yet.
 */
function openOptimizerState(model: ModelFolder, limits: ReadLimits, allowOutside: boolean): ModelFolder | null {
  const integrity = model.json[INTEGRITY_KEY];
  if (integrity === null || typeof integrity !== 'object') return null;
  const name = OPTIMIZER_JSON_NAMES.find((n) => Object.hasOwn(integrity, n));
  if (name === undefined) return null;
  const expected = (integrity as Record<string, { sha256?: unknown } | undefined>)[name]?.sha256;
  const optimizerPath = path.join(path.dirname(model.jsonPath), name);
  const mismatch = (message: string) => new ConfigError(model.jsonPath, [{ path: `${INTEGRITY_KEY}.${name}`, message }]);
  try {
    return openModelFolder(optimizerPath, limits, {
      format: 'optimizer-state',
      allowFilesOutsideFolder: allowOutside,
      namedBy: model.folder,
      verifyJson: (bytes) => {
        if (createHash('sha256').update(bytes).digest('hex') !== expected) {
          throw mismatch(`${name} does not belong to this model.json (SHA-256 differs): the files come from different saves; save again, or load with { compile: false }`);
        }
      },
    });
  } catch (e) {
    if (e instanceof ConfigError && e.source === optimizerPath && /no such file or folder|is missing/.test(e.message)) {
      throw mismatch(`lists ${name}, which is missing; copy the whole folder, or load with { compile: false }`);
    }
    throw e;
  }
}

/** Loads a model synchronously. `location` is a folder holding model.json, or the path of the .json file. */
export function loadModelSync(location: string, opts: LoadModelOptions = {}): Model {
  const limits = { ...DEFAULT_READ_LIMITS, ...(opts.limits ?? {}) };
  const allowOutside = opts.allowFilesOutsideFolder === true;
  const folder = openModelFolder(location, limits, { allowFilesOutsideFolder: allowOutside });
  const model = buildModel(modelConfigFromJson(folder.topology, folder.jsonPath), folder.jsonPath);
  try {
    // Everything that can be checked without the weights' bytes is checked before any is read.
    const isModelWeight = (spec: WeightSpec) => spec.group !== 'optimizer';
    const specs = folder.plans.flatMap((p) => p.group.weights).filter(isModelWeight);
    const targets = matchWeights(model, specs, folder.jsonPath);
    const compile = opts.compile !== false && folder.trainingConfig !== null;
    const optimizerFolder = compile ? openOptimizerState(folder, limits, allowOutside) : null;
    writeWeights(readWeights(folder, isModelWeight), targets);
    if (compile) restoreTrainingState(model, folder.trainingConfig!, optimizerFolder ? readWeights(optimizerFolder) : null);
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
