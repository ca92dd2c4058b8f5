import { ExperimentError } from '../errors';
import { loadExperiment, readJsonFile } from '../experiment/load_experiment';
import { buildModel, checkModelFiles } from '../library';
import { Output } from '../output';
import { assemble, throwIssues } from './assemble';
import { resolveModelTarget } from './model_source';

/** A model.json with weights (written by saveModel, tfjs or the converter), not a bare Keras config. */
function isModelFilesJson(json: unknown): boolean {
  return json !== null && typeof json === 'object' && ('weightsManifest' in json || 'modelTopology' in json);
}

/**
 * Everything loading would check, for a model folder, a model.json with weights, or a Keras file: the file
 * structure, the config, the weights against the model and the training config, every problem at once.
 */
async function validateModelFiles(location: string, output: Output): Promise<void> {
  const check = await checkModelFiles(location);
  const note = check.trainingNote === null ? null : `the training config will be skipped when loading (${check.trainingNote}); the model loads uncompiled`;
  if (check.problems.length > 0) {
    if (note) output.err(`note: ${note}\n`);
    throw new ExperimentError(check.file, check.problems.map((p) => ({ path: p.path, message: p.message })));
  }
  const m = check.model!;
  const training = !check.hasTrainingConfig ? 'none stored' : note === null ? 'compiles' : `skipped: ${check.trainingNote} (the model loads uncompiled)`;
  output.out(
    `ok: ${check.file} describes a model with ${m.layers} layers and ${m.parameters} parameters; the file sets all ${m.weights} weights\n` +
      `  training config: ${training}\n`,
  );
}

/**
 * `recurrent validate`: checks an experiment completely (schema, files, data, model, compile, and that
 * model and data fit together), a Keras model JSON file, or saved model files (a model folder, a model.json
 * with weights, a .keras or .h5 file) as loading would, reporting every problem (exit 2).
 */
export async function runValidate(file: string, output: Output): Promise<void> {
  const target = resolveModelTarget(file, (f) => readJsonFile(f, 'config file'));
  if (target.kind === 'model-dir') return validateModelFiles(target.dir, output);
  if (target.kind === 'keras-file') return validateModelFiles(target.file, output);
  if (target.kind === 'model-json') {
    if (isModelFilesJson(target.json)) return validateModelFiles(target.file, output);
    const model = buildModel(target.json, target.file, false);
    output.out(`ok: ${target.file} describes a model with ${model.layers.length} layers and ${model.countParams()} parameters\n`);
    model.dispose();
    return;
  }
  const loaded = loadExperiment(target.file);
  const seed = loaded.experiment.seed ?? 0;
  const assembly = assemble(loaded, seed, { compile: true });
  try {
    throwIssues(loaded, assembly.issues);
  } finally {
    assembly.model?.dispose();
  }
  const prepared = assembly.prepared;
  if (prepared === null || assembly.model === null) throw new ExperimentError(loaded.file, [{ path: '', message: 'could not be assembled' }]);
  const dims = Object.entries(prepared.state.dims).map(([k, v]) => `${k}=${v}`).join(', ');
  output.out(
    `ok: ${loaded.file}\n` +
      `  data: ${loaded.experiment.data.kind}, ${prepared.train.size} training and ${prepared.validation?.size ?? 0} validation examples (${dims})\n` +
      `  model: ${assembly.model.layers.length} layers, ${assembly.model.countParams()} parameters\n`,
  );
}
