/**
 * Reads a TensorFlow.js layers-model from disk (model.json and its weight shards) with every check done
 * before memory is committed: model.json is read through one checked descriptor within its size limit,
 * every shard is opened (a regular file inside the model's folder) and its size compared with what the
 * manifest and the integrity record declare before a weight byte is read, and all problems are reported
 * together, each naming its file (planModelFolder collects them for the loading stages of model_source.ts).
 * The weights are then read in bounded pieces straight into their arrays.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, IssueCollector } from '../config/config_error';
import { describeValue } from '../config/describe_value';
import { DEFAULT_JSON_LIMITS, parseJsonSafely } from '../config/safe_json';
import { closeFile, FileAccessError, openRegularFile, readRegularFile, realFolder, type LinkPolicy } from './safe_files';
import { ShardStream, type ShardPlan } from './shard_stream';
import { readWeight, type DecodedWeight } from './weight_codec';
import { bytesPerElement, elementCount, groupByteLength, readWeightsManifest, shardFileName, type WeightSpec, type WeightsManifestGroup } from './weights_manifest';

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
  // Weights are read into one array per weight, so this is a policy, not a Node.js bound: 4 GiB is far
  // beyond a recurrent model worth loading here, and a crafted manifest cannot ask for more by default.
  maxWeightBytes: 2 ** 32,
};

/** A parsed model.json. */
export interface ModelDocument {
  /** Absolute path of the model.json read. */
  jsonPath: string;
  /** The whole parsed model.json. */
  json: Record<string, unknown>;
  /** `modelTopology` as stored (the Keras config, possibly wrapped in `model_config`). */
  topology: unknown;
  /** `trainingConfig` (or `kerasTrainingConfig`), or the topology's `training_config` (converted Keras files), or null. */
  trainingConfig: Record<string, unknown> | null;
}

/** A parsed model.json and all its weights. */
export interface ModelFiles extends ModelDocument {
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

/** Where model.json is, and the folder whose files it may name. */
export interface ModelJsonLocation {
  /** Absolute path of model.json, as given (links not resolved). */
  jsonPath: string;
  /** Real path of the folder holding it: the files it names must be inside. */
  folder: string;
  /** How model.json itself is opened: followed when given by path, inside the folder when found in it. */
  links: LinkPolicy;
}

/**
 * `dir` or `dir/model.json` -> where model.json is; a clear error when neither exists. `namedBy` is the
 * folder of the document that names this one (optimizer.json): then it must be inside that folder too.
 */
export function resolveModelJsonPath(location: string, allowOutside = false, namedBy?: string): ModelJsonLocation {
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
  if (!stat.isDirectory()) {
    return { jsonPath: resolved, folder: realFolder(path.dirname(resolved)), links: namedBy === undefined ? 'follow' : { inside: namedBy, allowOutside } };
  }
  const folder = realFolder(resolved);
  const inside = path.join(resolved, 'model.json');
  if (!fs.existsSync(inside)) {
    throw new ConfigError(resolved, [{ path: '', message: 'this folder holds no model.json; point to the folder a model was saved in, or to its .json file' }]);
  }
  return { jsonPath: inside, folder, links: { inside: folder, allowOutside } };
}

/** A FileAccessError as the ConfigError of the document that named the file. */
export function fileProblem(e: unknown, source: string): never {
  if (e instanceof FileAccessError) throw new ConfigError(source, [{ path: '', message: e.file === source ? e.reason : `${path.basename(e.file)}: ${e.reason}` }]);
  throw e;
}

/** Reads a JSON document of at most `limits.maxJsonBytes` through one checked descriptor. */
export function readJsonFile(
  jsonPath: string,
  limits: ReadLimits,
  links: LinkPolicy,
  what = 'model.json',
  verify?: (bytes: Buffer) => void,
): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(jsonPath, { maxBytes: limits.maxJsonBytes, links, what: `the ${what}` });
  } catch (e) {
    fileProblem(e, jsonPath);
  }
  verify?.(bytes);
  const json = parseJsonSafely(bytes.toString('utf8'), jsonPath, { maxLength: limits.maxJsonBytes, maxDepth: limits.maxJsonDepth });
  if (!isPlainObject(json)) {
    throw new ConfigError(jsonPath, [{ path: '', message: `expected a ${what} object {"modelTopology", "weightsManifest", ...}, got ${describeValue(json)}` }]);
  }
  return json;
}

/** What is read, and from where. */
export interface ReadOptions {
  /** A model (model.json) or the optimizer state saved beside it. Default 'layers-model'. */
  format?: 'layers-model' | 'optimizer-state';
  /**
   * Accept files named by model.json (or model.json in a folder given) whose real path is outside the
   * model's folder: for folders of symbolic links into a content store (git-annex, a shared cache).
   * Default false: a crafted model.json cannot make the loader read files elsewhere.
   */
  allowFilesOutsideFolder?: boolean;
  /** Called with the JSON document's bytes before they are parsed (to compare them with a recorded hash). */
  verifyJson?: (bytes: Buffer) => void;
  /** The real folder of the model.json that names this document: it must resolve inside it. */
  namedBy?: string;
}

function checkTopLevel(json: Record<string, unknown>, issues: IssueCollector, format: ReadOptions['format']): void {
  if (format === 'optimizer-state') {
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

/** A weights group with its shards checked (present, regular, inside the folder, sizes as declared). */
export interface GroupPlan {
  group: WeightsManifestGroup;
  shards: ShardPlan[];
}

/** The integrity record of model.json for one file: the bytes and SHA-256 our saver wrote. */
function recorded(json: Record<string, unknown>, name: string): { bytes?: number; sha256?: string } {
  const integrity = json[INTEGRITY_KEY];
  if (!isPlainObject(integrity) || !Object.hasOwn(integrity, name)) return {};
  const entry = integrity[name];
  if (!isPlainObject(entry)) return {};
  return {
    bytes: typeof entry.bytes === 'number' ? entry.bytes : undefined,
    sha256: typeof entry.sha256 === 'string' ? entry.sha256 : undefined,
  };
}

/**
 * Opens every shard once (through safe_files: a regular file, inside the folder) and compares its size
 * with what the manifest and the integrity record declare, without reading any weight bytes.
 */
function planGroups(doc: Omit<ModelFolder, 'plans' | 'weightsUsable'> & { groups: WeightsManifestGroup[] }, limits: ReadLimits, issues: IssueCollector): GroupPlan[] {
  const plans: GroupPlan[] = [];
  let total = 0;
  doc.groups.forEach((group, g) => {
    const shards: ShardPlan[] = [];
    let present = 0;
    let complete = true;
    group.paths.forEach((p, i) => {
      const name = shardFileName(p);
      const full = path.join(path.dirname(doc.jsonPath), name);
      try {
        const opened = openRegularFile(full, { maxBytes: Infinity, links: doc.links, what: 'the weights file' });
        closeFile(opened);
        const record = recorded(doc.json, name);
        if (record.bytes !== undefined && record.bytes !== opened.size) {
          issues.add(`${INTEGRITY_KEY}.${name}`, `${name} holds ${opened.size} bytes, but this model.json was saved with ${record.bytes}: the files come from different saves`);
        }
        shards.push({ name, path: full, size: opened.size, sha256: record.sha256 });
        present += opened.size;
      } catch (e) {
        if (!(e instanceof FileAccessError)) throw e;
        complete = false;
        issues.add(`weightsManifest[${g}].paths[${i}]`, e.missing ? `the weights file ${name} is missing from ${doc.folder}` : `${name}: ${e.reason}`);
      }
    });
    const declared = groupByteLength(group);
    total += declared;
    if (complete && present !== declared) {
      const names = shards.map((f) => f.name).join(', ');
      const what = present < declared ? 'truncated or incomplete' : "larger than declared: a different model's file, or corrupted";
      issues.add(`weightsManifest[${g}]`, `${names} ${shards.length === 1 ? 'holds' : 'hold'} ${present} bytes but the manifest declares ${declared} (${what})`);
    }
    if (group.paths.length === 0 && group.weights.length > 0) {
      issues.add(`weightsManifest[${g}].paths`, 'no weights file listed for a group that declares weights');
    }
    plans.push({ group, shards });
  });
  if (total > limits.maxWeightBytes) {
    issues.add('weightsManifest', `declares ${total} bytes of weights, more than the limit of ${limits.maxWeightBytes} (raise it with the maxWeightBytes limit)`);
  }
  return plans;
}

/** A model folder checked as far as possible without reading a weight: the document and the shards' plan. */
export interface ModelFolder extends ModelDocument, ModelJsonLocation {
  /** The weights groups, their shards checked (empty when the manifest or its files have problems). */
  plans: GroupPlan[];
  /** Whether the manifest and the files it lists passed their checks (the weights can be matched and read). */
  weightsUsable: boolean;
}

/**
 * Reads model.json (or optimizer.json) and checks its manifest and shards, adding each problem to `issues`;
 * no weight bytes are read. A document that cannot be read at all throws. The shards are checked only when
 * the manifest passed, so that one mistake is not reported twice.
 */
export function planModelFolder(location: string, limits: ReadLimits, opts: ReadOptions, issues: IssueCollector): ModelFolder {
  const where = resolveModelJsonPath(location, opts.allowFilesOutsideFolder === true, opts.namedBy);
  const json = readJsonFile(where.jsonPath, limits, where.links, opts.format === 'optimizer-state' ? 'optimizer state file' : 'model.json', opts.verifyJson);
  const links: LinkPolicy = { inside: where.folder, allowOutside: opts.allowFilesOutsideFolder === true };
  checkTopLevel(json, issues, opts.format);
  const before = issues.count;
  const groups = json.weightsManifest === undefined || json.weightsManifest === null ? [] : readWeightsManifest(json.weightsManifest, issues);
  const topology = json.modelTopology ?? {};
  let trainingConfig: Record<string, unknown> | null = null;
  if (isPlainObject(json.trainingConfig)) trainingConfig = json.trainingConfig;
  else if (isPlainObject(json[EXTENDED_TRAINING_CONFIG])) trainingConfig = json[EXTENDED_TRAINING_CONFIG] as Record<string, unknown>;
  else if (isPlainObject(topology) && isPlainObject(topology.training_config)) trainingConfig = topology.training_config;
  const doc = { ...where, links, json, topology, trainingConfig, groups };
  const plans = issues.count === before ? planGroups(doc, limits, issues) : [];
  const usable = issues.count === before;
  return { jsonPath: doc.jsonPath, folder: doc.folder, links, json, topology, trainingConfig, plans: usable ? plans : [], weightsUsable: usable };
}

/** Reads model.json (or optimizer.json) and checks its manifest and shards; no weight bytes are read. Any problem throws. */
export function openModelFolder(location: string, limits: ReadLimits = DEFAULT_READ_LIMITS, opts: ReadOptions = {}): ModelFolder {
  const issues = new IssueCollector();
  const folder = planModelFolder(location, limits, opts, issues);
  issues.throwIfAny(folder.jsonPath);
  return folder;
}

/**
 * Reads the weights of a checked folder, group by group, straight into their arrays (see ShardStream);
 * weights for which `wanted` says false are read past (still checked) instead of kept.
 */
export function readWeights(folder: ModelFolder, wanted: (spec: WeightSpec) => boolean = () => true): DecodedWeight[] {
  const weights: DecodedWeight[] = [];
  for (const plan of folder.plans) {
    const stream = new ShardStream(plan.shards, folder.links, folder.jsonPath, INTEGRITY_KEY);
    try {
      for (const spec of plan.group.weights) {
        if (wanted(spec)) weights.push(readWeight(spec, (target) => stream.fill(target)));
        else stream.skip(elementCount(spec.shape) * bytesPerElement(spec));
      }
      stream.finish();
    } catch (e) {
      fileProblem(e, folder.jsonPath);
    } finally {
      stream.close();
    }
  }
  return weights;
}

/** Reads and checks model.json and all its weights. `location` is a folder or the path of a .json file. */
export function readModelFiles(location: string, limits: ReadLimits = DEFAULT_READ_LIMITS, opts: ReadOptions = {}): ModelFiles {
  const folder = openModelFolder(location, limits, opts);
  return { jsonPath: folder.jsonPath, json: folder.json, topology: folder.topology, trainingConfig: folder.trainingConfig, weights: readWeights(folder) };
}
