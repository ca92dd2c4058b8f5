/**
 * `saveModel(model, dir)`: TensorFlow.js's layers-model files (model.json + weights.bin), written
 * as one atomic step, plus the optimizer state when asked for (optimizer.json + optimizer.bin).
 */
import { modelToKerasConfig } from '../config/model_to_json';
import type { Model } from '../models/model';
import { commitModelFolder } from './model_folder';
import { encodeArtifacts } from './saved_artifacts';
import { captureTrainingState } from './training_state';
import type { WeightToEncode } from './weight_codec';

export interface SaveModelOptions {
  /** Also save the optimizer's state (slots, iteration count) so that training resumes exactly. Default false. */
  includeOptimizer?: boolean;
  /**
   * Dialect of `modelTopology`. 'tfjs' writes what @tensorflow/tfjs's loadLayersModel reads and fails for
   * features it lacks (GRU reset_after=true, Keras 3 hard_sigmoid); 'keras3' writes Keras 3's spelling;
   * 'auto' (default) writes 'tfjs' when the model allows it and 'keras3' otherwise.
   */
  dialect?: 'auto' | 'tfjs' | 'keras3';
}


function modelWeights(model: Model): WeightToEncode[] {
  const seen = new Set<string>();
  return model.weights.map((w) => {
    if (seen.has(w.name)) {
      throw new Error(`saveModel: two weights are named '${w.name}'; give the layers unique names before saving.`);
    }
    seen.add(w.name);
    const t = w.read();
    const values = t.dataSync() as Float32Array | Int32Array;
    return { name: w.name, shape: [...w.shape], dtype: w.dtype === 'int32' ? 'int32' : 'float32', values: values.slice() };
  });
}

/**
 * Writes the model into `dir` (created if needed) as one atomic step (model_folder.ts): a failure or a
 * kill at any point leaves the folder loading as the previous model or as this one.
 */
export function saveModel(model: Model, dir: string, opts: SaveModelOptions = {}): void {
  if (typeof dir !== 'string' || dir === '') throw new Error('saveModel: expected a folder path to save into.');
  const topology = modelToKerasConfig(model, { dialect: opts.dialect ?? 'auto' });
  const weights = modelWeights(model);
  const state = captureTrainingState(model, opts.includeOptimizer === true);
  commitModelFolder(dir, encodeArtifacts({ topology, weights, trainingConfig: state?.trainingConfig ?? null, optimizer: state?.optimizer ?? null }));
}
