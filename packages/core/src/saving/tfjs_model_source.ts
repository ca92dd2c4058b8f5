/** A TensorFlow.js layers-model folder (model.json and its weight files) as a ModelSource. */
import type { IssueCollector } from '../config/config_error';
import type { Model } from '../models/model';
import { matchWeightsByName, type ModelSource, type StoredWeightEntry, type WeightAssignment } from './model_source';
import { planModelFiles, readPlannedWeights, type PlannedModelFiles, type ReadLimits } from './read_model_files';
import type { DecodedWeight } from './weight_codec';
import type { WeightSpec } from './weights_manifest';

/** dtype of a manifest entry once decoded (bool and quantized data are widened). */
function decodedDtype(spec: WeightSpec): 'float32' | 'int32' {
  return spec.dtype === 'int32' || spec.dtype === 'bool' ? 'int32' : 'float32';
}

export interface TfjsModelSource extends ModelSource {
  planned: PlannedModelFiles;
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

/** The manifest is checked only against a topology that is an object (a missing one is reported already). */
function isModelTopologyUsable(planned: PlannedModelFiles): boolean {
  const t = planned.topology;
  return t !== null && typeof t === 'object' && !Array.isArray(t);
}
