/**
 * `saveModel(model, target)`: into a folder, TensorFlow.js's layers-model files (model.json + weights.bin),
 * plus the optimizer state when asked for (optimizer.json + optimizer.bin), written as one atomic step
 * (model_folder.ts); into a `.keras` path, a Keras 3 archive (keras/write_keras_file.ts), replaced atomically.
 */
import { ConfigError } from '../config/config_error';
import { modelToKerasConfig } from '../config/model_to_json';
import type { Model } from '../models/model';
import { warn } from '../training/logs';
import { kerasFileKind } from './keras/keras_format';
import { writeKerasArchive } from './keras/write_keras_file';
import { commitModelFolder } from './model_folder';
import { encodeArtifacts, type Topology } from './saved_artifacts';
import { captureTrainingState } from './training_state';
import type { WeightToEncode } from './weight_codec';

export interface SaveModelOptions {
  /** Also save the optimizer's state (slots, iteration count) so that training resumes exactly. Default false. */
  includeOptimizer?: boolean;
  /**
   * Dialect of `modelTopology` in a folder. 'tfjs' writes what @tensorflow/tfjs's loadLayersModel reads and
   * fails for features it lacks (GRU reset_after=true, Keras 3 hard_sigmoid); 'keras3' writes Keras 3's
   * spelling; 'auto' (default) writes 'tfjs' when the model allows it and 'keras3' otherwise, with a warning
   * and a `readableBy` note in model.json saying that TensorFlow.js cannot load the file.
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

/** Models already told that their folder is written in the Keras 3 dialect (once is enough; checkpoints save often). */
const warnedKeras3Dialect = new WeakSet<Model>();

/** The topology in the dialect asked for; 'auto' says (once, and in the file) when TensorFlow.js cannot read it. */
function topologyFor(model: Model, dialect: 'auto' | 'tfjs' | 'keras3'): Topology {
  if (dialect !== 'auto') return { config: modelToKerasConfig(model, { dialect }), dialect, tfjsProblems: [] };
  try {
    return { config: modelToKerasConfig(model, { dialect: 'tfjs' }), dialect: 'tfjs', tfjsProblems: [] };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { config: modelToKerasConfig(model, { dialect: 'keras3' }), dialect: 'keras3', tfjsProblems: e.issues.map((i) => i.message) };
  }
}

/** A .keras archive, with the options that apply to it checked. */
async function saveKerasArchive(model: Model, file: string, opts: SaveModelOptions): Promise<void> {
  if (opts.includeOptimizer) throw new Error('saveModel: includeOptimizer is not supported for .keras files (Keras keeps its own optimizer state); save to a folder to resume training here, or leave it out.');
  if (opts.dialect === 'tfjs') throw new Error("saveModel: a .keras file is written in Keras 3's dialect; dialect 'tfjs' applies to folders.");
  await writeKerasArchive(model, file);
}

/**
 * Writes the model. `target` is a folder (created if needed; TensorFlow.js files) or a path ending in
 * `.keras` (a Keras 3 archive for `keras.saving.load_model`). Either is one atomic step: a failure or a
 * kill at any point leaves the previous model loadable, or the new one.
 *
 * Returns a Promise. A folder is written before saveModel returns (so calling it without `await` is fine
 * there, as it always was); a .keras file is written when the Promise resolves: await it.
 */
export function saveModel(model: Model, target: string, opts: SaveModelOptions = {}): Promise<void> {
  if (typeof target !== 'string' || target === '') throw new Error('saveModel: expected a folder path to save into, or a path ending in .keras.');
  const kind = kerasFileKind(target);
  if (kind === '.keras') return saveKerasArchive(model, target, opts);
  if (kind === '.h5') throw new Error(`saveModel: writing Keras 2 .h5 files is not supported (Keras 3 reads .keras archives); save to a path ending in .keras, or to a folder.`);
  saveFolder(model, target, opts);
  return Promise.resolve();
}

function saveFolder(model: Model, dir: string, opts: SaveModelOptions): void {
  const topology = topologyFor(model, opts.dialect ?? 'auto');
  const weights = modelWeights(model);
  const state = captureTrainingState(model, opts.includeOptimizer === true);
  commitModelFolder(dir, encodeArtifacts({ topology, weights, trainingConfig: state?.trainingConfig ?? null, optimizer: state?.optimizer ?? null }));
  if (topology.tfjsProblems.length > 0 && !warnedKeras3Dialect.has(model)) {
    warnedKeras3Dialect.add(model);
    warn(`saved '${model.name}' to ${dir} in the Keras 3 dialect, which recurrent's loadModel reads but @tensorflow/tfjs cannot: ${topology.tfjsProblems.join('; ')}. For Keras, save to a .keras file instead.`);
  }
}
