/**
 * Reads a TensorFlow.js layers-model from disk (model.json and its weight shards) with every check done
 * before memory is committed: file sizes are compared with what the manifest declares before any buffer
 * is allocated, and all problems are reported together, each naming its file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { ConfigError, IssueCollector } from '../config/config_error';
import { describeValue } from '../config/describe_value';
import { DEFAULT_JSON_LIMITS, parseJsonSafely } from '../config/safe_json';
import { decodeWeights, type DecodedWeight } from './weight_codec';
import { groupByteLength, readWeightsManifest, shardFileName, type WeightSpec, type WeightsManifestGroup } from './weights_manifest';

export interface ReadLimits {
  /** Largest model.json accepted, in bytes. */
  maxJsonBytes: number;
  /** Deepest JSON nesting accepted. */
  maxJsonDepth: number;
  /** Largest total of weight bytes accepted (all groups). */
  maxWeightBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxJsonBytes: DEFAULT_JSON_LIMITS.maxLength,
  maxJsonDepth: DEFAULT_JSON_LIMITS.maxDepth,
  // Node's Buffer cannot exceed 4 GiB; a recurrent model worth loading here is far smaller.
  maxWeightBytes: 2 ** 32 - 1,
};

/** model.json and every weight it lists, read and checked. */
export interface ModelFiles extends Pick<PlannedModelFiles, 'jsonPath' | 'json' | 'topology' | 'trainingConfig'> {
  /** Every weight of every group, in manifest order. */
  weights: DecodedWeight[];
}

/**
 * Key of a training config that @tensorflow/tfjs could not compile from (a loss, metric or optimizer it lacks,
 * such as AdamW or perplexity). Kept apart from `trainingConfig` so tfjs still loads the model for inference.
 */
export const EXTENDED_TRAINING_CONFIG = 'kerasTrainingConfig';

/** Key written by our saver: size and SHA-256 of each weights file, to detect files from different saves. */
export const INTEGRITY_KEY = 'weightsIntegrity';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `dir` or `dir/model.json` -> the absolute path of model.json; a clear error when neither exists. */
export function resolveModelJsonPath(location: string): string {
  if (typeof location !== 'string' || location === '') {
    throw new ConfigError('loadModel', [{ path: '', message: `expected a folder or a model.json path, got ${describeValue(location)}` }]);
  }
  const resolved = path.resolve(location.startsWith('file://') ? location.slice('file://'.length) : location);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new ConfigError(resolved, [{ path: '', message: 'no such file or folder; expected a folder holding model.json, or the path of a model.json' }]);
  }
  if (!stat.isDirectory()) return resolved;
  const inside = path.join(resolved, 'model.json');
  if (!fs.existsSync(inside)) {
    throw new ConfigError(resolved, [{ path: '', message: 'this folder holds no model.json; point to the folder a model was saved in, or to its .json file' }]);
  }
  return inside;
}

function readJsonFile(jsonPath: string, limits: ReadLimits): Record<string, unknown> {
  const size = fs.statSync(jsonPath).size;
  if (size > limits.maxJsonBytes) {
    throw new ConfigError(jsonPath, [{ path: '', message: `file is ${size} bytes, more than the limit of ${limits.maxJsonBytes} for a model.json` }]);
  }
  const text = fs.readFileSync(jsonPath, 'utf8');
  const json = parseJsonSafely(text, jsonPath, { maxLength: limits.maxJsonBytes, maxDepth: limits.maxJsonDepth });
  if (!isPlainObject(json)) {
    throw new ConfigError(jsonPath, [{ path: '', message: `expected a model.json object {"modelTopology", "weightsManifest", ...}, got ${describeValue(json)}` }]);
  }
  return json;
}

/** What kind of document is read: a model (model.json) or the optimizer state saved beside it. */
export interface ReadKind {
  format: 'layers-model' | 'optimizer-state';
}

function checkTopLevel(json: Record<string, unknown>, issues: IssueCollector, kind: ReadKind): void {
  if (kind.format === 'optimizer-state') {
    if (json.format !== 'optimizer-state') issues.add('format', `expected "optimizer-state", got ${describeValue(json.format)}`);
    return;
  }
  if (json.format !== undefined && json.format !== null && json.format !== 'layers-model') {
    if (json.format === 'graph-model') {
      issues.add('format', 'a "graph-model" (a converted SavedModel or frozen graph) has no layers and is not supported; convert the Keras model as a layers model instead');
    } else {
      issues.add('format', `expected "layers-model", got ${describeValue(json.format)}`);
    }
  }
  if (!isPlainObject(json.modelTopology)) {
    issues.add('modelTopology', `expected the Keras model config object, got ${describeValue(json.modelTopology)}`);
  }
  if (json.trainingConfig !== undefined && json.trainingConfig !== null && !isPlainObject(json.trainingConfig)) {
    issues.add('trainingConfig', `expected an object {"loss", "metrics", "optimizer_config"}, got ${describeValue(json.trainingConfig)}`);
  }
}

export interface GroupPlan {
  group: WeightsManifestGroup;
  files: { name: string; path: string; size: number }[];
  declared: number;
}

/** Stats every shard and compares sizes with the manifest, without reading any weight bytes. */
function planGroups(dir: string, groups: WeightsManifestGroup[], limits: ReadLimits, issues: IssueCollector): GroupPlan[] {
  const plans: GroupPlan[] = [];
  let total = 0;
  groups.forEach((group, g) => {
    const files: GroupPlan['files'] = [];
    let present = 0;
    let missing = false;
    for (const p of group.paths) {
      const name = shardFileName(p);
      const full = path.join(dir, name);
      try {
        const stat = fs.statSync(full);
        if (!stat.isFile()) throw new Error('not a file');
        files.push({ name, path: full, size: stat.size });
        present += stat.size;
      } catch {
        issues.add(`weightsManifest[${g}].paths`, `the weights file ${name} is missing from ${dir}`);
        missing = true;
      }
    }
    const declared = groupByteLength(group);
    total += declared;
    if (!missing && present !== declared) {
      const names = files.map((f) => f.name).join(', ');
      const what = present < declared ? 'truncated or incomplete' : 'larger than declared: a different model\'s file, or corrupted';
      issues.add(`weightsManifest[${g}]`, `${names} ${files.length === 1 ? 'holds' : 'hold'} ${present} bytes but the manifest declares ${declared} (${what})`);
    }
    if (group.paths.length === 0 && group.weights.length > 0) {
      issues.add(`weightsManifest[${g}].paths`, 'no weights file listed for a group that declares weights');
    }
    plans.push({ group, files, declared });
  });
  if (total > limits.maxWeightBytes) {
    issues.add('weightsManifest', `declares ${total} bytes of weights, more than the limit of ${limits.maxWeightBytes}`);
  }
  return plans;
}

function readGroup(plan: GroupPlan): Buffer {
  const data = Buffer.alloc(plan.declared);
  let offset = 0;
  for (const file of plan.files) {
    const fd = fs.openSync(file.path, 'r');
    try {
      let read = 0;
      while (read < file.size) {
        const n = fs.readSync(fd, data, offset + read, file.size - read, read);
        if (n === 0) throw new ConfigError(file.path, [{ path: '', message: `file shrank while being read (expected ${file.size} bytes)` }]);
        read += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    offset += file.size;
  }
  return data;
}

function checkIntegrity(json: Record<string, unknown>, plans: GroupPlan[], issues: IssueCollector): void {
  const integrity = json[INTEGRITY_KEY];
  if (!isPlainObject(integrity)) return;
  for (const plan of plans) {
    for (const file of plan.files) {
      const expected = integrity[file.name];
      if (!isPlainObject(expected) || typeof expected.sha256 !== 'string') continue;
      const actual = createHash('sha256').update(fs.readFileSync(file.path)).digest('hex');
      if (actual !== expected.sha256) {
        issues.add(`${INTEGRITY_KEY}.${file.name}`, `${file.name} does not match this model.json (SHA-256 differs): the files come from different saves, or a save was interrupted; save the model again`);
      }
    }
  }
}

/** model.json read and checked (structure, manifest, shard sizes and integrity); the weight bytes are not read yet. */
export interface PlannedModelFiles {
  /** Absolute path of the model.json read. */
  jsonPath: string;
  /** The whole parsed model.json. */
  json: Record<string, unknown>;
  /** `modelTopology` as stored (the Keras config, possibly wrapped in `model_config`). */
  topology: unknown;
  /** `trainingConfig` (or `kerasTrainingConfig`), or the topology's `training_config` (converted Keras files), or null. */
  trainingConfig: Record<string, unknown> | null;
  /** Every weight entry of every group, in manifest order (empty when the manifest is unusable). */
  specs: WeightSpec[];
  /** Whether the manifest and the files it lists passed their checks (the specs can be matched and read). */
  weightsUsable: boolean;
  plans: GroupPlan[];
}

/**
 * Reads model.json and checks everything but the weight bytes, adding each problem to `issues` (a file that
 * cannot be read at all throws). Later checks run only where earlier ones passed, so that one mistake is
 * not reported twice.
 */
export function planModelFiles(location: string, limits: ReadLimits, kind: ReadKind, issues: IssueCollector): PlannedModelFiles {
  const jsonPath = resolveModelJsonPath(location);
  const json = readJsonFile(jsonPath, limits);
  checkTopLevel(json, issues, kind);
  const before = issues.issues.length;
  const groups = json.weightsManifest === undefined || json.weightsManifest === null ? [] : readWeightsManifest(json.weightsManifest, issues);
  let plans: GroupPlan[] = [];
  if (issues.issues.length === before) {
    plans = planGroups(path.dirname(jsonPath), groups, limits, issues);
    if (issues.issues.length === before) checkIntegrity(json, plans, issues);
  }
  // The weights can be matched and read only when the manifest and its files passed.
  const usable = issues.issues.length === before;
  const topology = json.modelTopology ?? {};
  let trainingConfig: Record<string, unknown> | null = null;
  if (isPlainObject(json.trainingConfig)) trainingConfig = json.trainingConfig;
  else if (isPlainObject(json[EXTENDED_TRAINING_CONFIG])) trainingConfig = json[EXTENDED_TRAINING_CONFIG] as Record<string, unknown>;
  else if (isPlainObject(topology) && isPlainObject(topology.training_config)) trainingConfig = topology.training_config;
  return { jsonPath, json, topology, trainingConfig, specs: usable ? groups.flatMap((g) => g.weights) : [], plans: usable ? plans : [], weightsUsable: usable };
}

/** The weights of a planned model, read and decoded (the plan must be free of problems). */
export function readPlannedWeights(planned: PlannedModelFiles): DecodedWeight[] {
  const weights: DecodedWeight[] = [];
  for (const plan of planned.plans) {
    const data = readGroup(plan);
    weights.push(...decodeWeights(data, plan.group.weights, plan.files.map((f) => f.path).join(', ')));
  }
  return weights;
}

/** Reads and checks model.json and its weights. `location` is a folder or the path of a .json file. */
export function readModelFiles(location: string, limits: ReadLimits = DEFAULT_READ_LIMITS, kind: ReadKind = { format: 'layers-model' }): ModelFiles {
  const issues = new IssueCollector();
  const planned = planModelFiles(location, limits, kind, issues);
  issues.throwIfAny(planned.jsonPath);
  const { jsonPath, json, topology, trainingConfig } = planned;
  return { jsonPath, json, topology, trainingConfig, weights: readPlannedWeights(planned) };
}
