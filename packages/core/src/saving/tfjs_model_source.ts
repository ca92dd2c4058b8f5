/** A TensorFlow.js layers-model folder (model.json and its weight files) as a ModelSource. */
import * as fs from 'fs';
import { createHash } from 'crypto';
import * as path from 'path';
import { ConfigError, type IssueCollector } from '../config/config_error';
import type { Model } from '../models/model';
import { matchWeightsByName, type ModelSource, type StoredWeightEntry, type WeightAssignment } from './model_source';
import { INTEGRITY_KEY, planModelFiles, readModelFiles, readPlannedWeights, type PlannedModelFiles, type ReadLimits } from './read_model_files';
import { OPTIMIZER_JSON } from './saved_artifacts';
import type { DecodedWeight } from './weight_codec';
import type { WeightSpec } from './weights_manifest';

/** dtype of a manifest entry once decoded (bool and quantized data are widened). */
function decodedDtype(spec: WeightSpec): 'float32' | 'int32' {
  return spec.dtype === 'int32' || spec.dtype === 'bool' ? 'int32' : 'float32';
}

export interface TfjsModelSource extends ModelSource {
  planned: PlannedModelFiles;
  /** The optimizer state saved beside model.json (optimizer.json), when model.json vouches for it; else null. */
  optimizerState(): DecodedWeight[] | null;
}

/** Reads model.json and checks its weight files (not yet their bytes), adding problems to `issues`. */
export function openTfjsModelSource(location: string, limits: ReadLimits, issues: IssueCollector): TfjsModelSource {
  const planned = planModelFiles(location, limits, { format: 'layers-model' }, issues);
  const modelSpecs = planned.specs.filter((s) => s.group !== 'optimizer');
  // Read once, on the first value asked for; in manifest order, like modelSpecs.
  let decoded: DecodedWeight[] | null = null;
  const decodedAt = (index: number): DecodedWeight => {
    decoded ??= readPlannedWeights(planned).filter((w) => w.spec.group !== 'optimizer');
    return decoded[index];
  };
  return {
    file: planned.jsonPath,
    planned,
    topology: planned.topology,
    trainingConfig: planned.trainingConfig,
    weightsUsable: planned.weightsUsable && isModelTopologyUsable(planned),
    optimizerState: () => readOptimizerState(planned.jsonPath, planned.json, limits),
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

/** The manifest is checked only against a topology that is an object (a missing one is reported already). */
function isModelTopologyUsable(planned: PlannedModelFiles): boolean {
  const t = planned.topology;
  return t !== null && typeof t === 'object' && !Array.isArray(t);
}
