import { ExperimentError } from '../errors';
import { loadExperiment, readJsonFile } from '../experiment/load_experiment';
import { buildModel } from '../library';
import { Output } from '../output';
import { assemble, throwIssues } from './assemble';
import { resolveModelTarget } from './model_source';

/**
 * `recurrent validate`: checks an experiment completely (schema, files, data, model, compile, and that
 * model and data fit together) or a Keras model JSON file, reporting every problem (exit 2).
 */
export function runValidate(file: string, output: Output): void {
  const target = resolveModelTarget(file, (f) => readJsonFile(f, 'config file'));
  if (target.kind === 'model-dir') {
    output.out(`${target.dir} is a model folder; validate checks experiment and model JSON files\n`);
    return;
  }
  if (target.kind === 'model-json') {
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
