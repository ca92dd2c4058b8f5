/**
 * A TensorFlow.js layers-model folder (model.json and its weight files) as a ModelSource. Opening it reads
 * model.json and checks every weight file (a regular file inside the folder, of the size the manifest and
 * the integrity record declare) without reading a weight byte; the weights are read, in bounded pieces
 * straight into their arrays, only once every name, shape and dtype has been matched with the model.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { ConfigError, type IssueCollector } from '../config/config_error';
import type { Model } from '../models/model';
import { matchWeightsByName, type ModelSource, type StoredWeightEntry, type WeightAssignment } from './model_source';
import { INTEGRITY_KEY, openModelFolder, planModelFolder, readWeights, type ModelFolder, type ReadLimits } from './read_model_files';
import { OPTIMIZER_JSON_NAMES } from './saved_artifacts';
import type { DecodedWeight } from './weight_codec';
import type { WeightSpec } from './weights_manifest';

/** dtype of a manifest entry once decoded (bool and quantized data are widened). */
function decodedDtype(spec: WeightSpec): 'float32' | 'int32' {
  return spec.dtype === 'int32' || spec.dtype === 'bool' ? 'int32' : 'float32';
}

function isModelWeight(spec: WeightSpec): boolean {
  return spec.group !== 'optimizer';
}

export interface TfjsSourceOptions {
  limits: ReadLimits;
  /** Accept files named by model.json whose real path is outside the model's folder (see ReadOptions). */
  allowFilesOutsideFolder?: boolean;
}

/** Reads model.json and checks its weight files (not yet their bytes), adding problems to `issues`. */
export function openTfjsModelSource(location: string, opts: TfjsSourceOptions, issues: IssueCollector): ModelSource {
  const folder = planModelFolder(location, opts.limits, { allowFilesOutsideFolder: opts.allowFilesOutsideFolder }, issues);
  const modelSpecs = folder.plans.flatMap((p) => p.group.weights).filter(isModelWeight);
  // Read once, on the first value asked for (after every weight was matched); in manifest order, like modelSpecs.
  let decoded: DecodedWeight[] | null = null;
  const decodedAt = (index: number): DecodedWeight => {
    decoded ??= readWeights(folder, isModelWeight);
    return decoded[index];
  };
  return {
    file: folder.jsonPath,
    topology: folder.topology,
    trainingConfig: folder.trainingConfig,
    weightsUsable: folder.weightsUsable && isModelTopologyUsable(folder),
    openOptimizerState: () => openOptimizerState(folder, opts),
    verifyWeightFiles: () => {
      // Files without a recorded SHA-256 (not ours) have nothing to compare their bytes with.
      if (folder.plans.some((p) => p.shards.some((shard) => shard.sha256 !== undefined))) readWeights(folder, () => false);
    },
    matchWeights(model: Model, into: IssueCollector): WeightAssignment[] {
      const entries: StoredWeightEntry[] = modelSpecs.map((s) => ({ name: s.name, shape: s.shape, dtype: decodedDtype(s), storedDtype: s.dtype }));
      return matchWeightsByName(model, entries, into, 'weightsManifest').map(({ variable, index }) => ({
        variable,
        read: () => {
          const w = decodedAt(index);
          return { dtype: w.dtype, values: w.values };
        },
      }));
    },
  };
}

/**
 * The optimizer state file next to model.json, when model.json vouches for it (same save): read within
 * the JSON size limit and inside the model's folder, its bytes compared with the recorded SHA-256 before
 * they are parsed, its shards checked. Returns the reader of its weights (none is read yet), or null.
 */
function openOptimizerState(model: ModelFolder, opts: TfjsSourceOptions): (() => DecodedWeight[]) | null {
  const integrity = model.json[INTEGRITY_KEY];
  if (integrity === null || typeof integrity !== 'object') return null;
  const name = OPTIMIZER_JSON_NAMES.find((n) => Object.hasOwn(integrity, n));
  if (name === undefined) return null;
  const expected = (integrity as Record<string, { sha256?: unknown } | undefined>)[name]?.sha256;
  const optimizerPath = path.join(path.dirname(model.jsonPath), name);
  const mismatch = (message: string) => new ConfigError(model.jsonPath, [{ path: `${INTEGRITY_KEY}.${name}`, message }]);
  let state: ModelFolder;
  try {
    state = openModelFolder(optimizerPath, opts.limits, {
      format: 'optimizer-state',
      allowFilesOutsideFolder: opts.allowFilesOutsideFolder,
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
  return () => readWeights(state);
}

/** The manifest is checked only against a topology that is an object (a missing one is reported already). */
function isModelTopologyUsable(folder: ModelFolder): boolean {
  const t = folder.topology;
  return t !== null && typeof t === 'object' && !Array.isArray(t);
}
