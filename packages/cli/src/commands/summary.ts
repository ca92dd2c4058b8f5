import { loadExperiment, readJsonFile } from '../experiment/load_experiment';
import { Model, buildModel, loadKerasFile, loadTrainedModel, summaryText } from '../library';
import { Output } from '../output';
import { readPreprocessingState } from '../data/preprocessing_state';
import { assemble, throwIssues } from './assemble';
import { resolveModelTarget } from './model_source';

/** `recurrent summary`: the layer table of a model folder, a Keras file, a model JSON file or an experiment's model. */
export async function runSummary(target: string, options: { lineLength?: number }, output: Output): Promise<void> {
  const resolved = resolveModelTarget(target, (f) => readJsonFile(f, 'config file'));
  let model: Model;
  let extra = '';
  if (resolved.kind === 'model-dir') {
    model = loadTrainedModel(resolved.dir, false);
    try {
      const state = readPreprocessingState(resolved.dir);
      extra = `data: ${state.kind} (${Object.entries(state.dims).map(([k, v]) => `${k}=${v}`).join(', ')})\n`;
    } catch {
      // A model folder saved by other means has no preprocessing state; the summary still stands.
    }
  } else if (resolved.kind === 'keras-file') {
    model = await loadKerasFile(resolved.file);
  } else if (resolved.kind === 'model-json') {
    model = buildModel(resolved.json, resolved.file, false);
  } else {
    const loaded = loadExperiment(resolved.file);
    const assembly = assemble(loaded, loaded.experiment.seed ?? 0, { compile: false });
    throwIssues(loaded, assembly.issues);
    model = assembly.model as Model;
    const dims = assembly.prepared?.state.dims ?? {};
    extra = `data: ${loaded.experiment.data.kind} (${Object.entries(dims).map(([k, v]) => `${k}=${v}`).join(', ')})\n`;
  }
  try {
    output.out(summaryText(model, options.lineLength) + extra);
  } finally {
    model.dispose();
  }
}
