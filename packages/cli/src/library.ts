/**
 * The parts of @recurrent/core the commands use to build, compile, train, save and load models, in
 * one place: the rest of the command line depends on these functions, not on the library's layout.
 */
import { ConfigError, MemoryLimitError, Model, checkMemory, checkModelFiles, compileConfigSchema, compileModel, loadModel, loadModelSync, modelFromJSON, saveModel } from '@recurrent/core';
import { ExperimentError, Issue } from './errors';
import { compileSectionToCamel } from './experiment/compile_keys';
import { zodIssues } from './experiment/issue_paths';
import { Predictor } from './inference/predictor';
import { PreprocessingState, checkStateMatchesModel } from './data/preprocessing_state';

export type { Model };

/** Whether the first segment of a config path (`layers[0]...`) exists in `json` below `prefix`. */
function resolvesUnder(json: unknown, prefix: string[], path: string): boolean {
  let node: unknown = json;
  for (const key of prefix) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[key];
  }
  const first = /^[^.[]+/.exec(path)?.[0];
  return first !== undefined && node !== null && typeof node === 'object' && Object.hasOwn(node, first);
}

/** The config's issue paths are relative to the model config; find where that sits in the document. */
function documentPath(json: unknown, path: string): string {
  const prefixes = [[], ['config'], ['modelTopology'], ['modelTopology', 'config'], ['modelTopology', 'model_config', 'config'], ['model_config', 'config']];
  const prefix = prefixes.find((p) => resolvesUnder(json, p, path)) ?? [];
  return [...prefix, path].filter((s) => s !== '').join('.').replace(/\.\[/g, '[');
}

/** ConfigError issues as experiment issues: inline models under `model.`, model files named in the message. */
export function configIssues(error: ConfigError, json: unknown, inline: boolean, source: string): Issue[] {
  return error.issues.map((i) => {
    const inDocument = i.path === '' ? '' : documentPath(json, i.path);
    if (inline) return { path: inDocument === '' ? 'model' : `model.${inDocument}`, message: i.message };
    return { path: 'model', message: `${source}${inDocument === '' ? '' : ` at ${inDocument}`}: ${i.message}` };
  });
}

/** Builds a model from Keras JSON; a ConfigError becomes issues under `model`. */
export function buildModel(json: unknown, source: string, inline: boolean): Model {
  try {
    return modelFromJSON(json as object, { source });
  } catch (e) {
    if (e instanceof ConfigError) throw new ExperimentError(source, configIssues(e, json, inline, source));
    throw e;
  }
}

/** The compile section in the library's spelling (keys camelCase, output names kept). */
export function compileArgs(section: Record<string, unknown>): Record<string, unknown> {
  return compileSectionToCamel(section);
}

/** Problems of a compile section (schema level), as issues under `compile`. */
export function compileIssues(section: Record<string, unknown>): Issue[] {
  const parsed = compileConfigSchema.safeParse(compileArgs(section));
  return parsed.success ? [] : zodIssues(parsed.error, ['compile']);
}

export function compile(model: Model, section: Record<string, unknown>, file: string): void {
  const issues = compileIssues(section);
  if (issues.length > 0) throw new ExperimentError(file, issues);
  try {
    compileModel(model, compileArgs(section) as never);
  } catch (e) {
    // The library names the call ("compile: loss: ..."); the path says it already.
    throw new ExperimentError(file, [{ path: 'compile', message: (e as Error).message.replace(/^compile: /, '') }]);
  }
}

/**
 * Whether training the compiled `model` at `batchSize` on sequences of `timeSteps` fits the memory limit
 * (the library's estimate: weights, gradients, optimizer slots, activations); an issue when it does not.
 */
export function memoryIssues(model: Model, batchSize: number, timeSteps: number | undefined): Issue[] {
  const optimizer = model.optimizer;
  if (optimizer === null) return [];
  try {
    checkMemory(model.memoryEstimate({ training: { batchSize, slotsPerWeight: optimizer.slotsPerWeight(), optimizerName: optimizer.className }, timeSteps }), 'the model');
  } catch (e) {
    if (!(e instanceof MemoryLimitError)) throw e;
    return [{ path: 'model', message: e.message }];
  }
  return [];
}

/** Forward passes in inference mode. */
export function predictor(model: Model): Predictor {
  return (xs) => {
    const y = model.predict(xs.length === 1 ? xs[0] : xs, { batchSize: xs[0].shape[0] ?? 32 });
    return Array.isArray(y) ? y : [y];
  };
}

export function saveTrainedModel(model: Model, dir: string, includeOptimizer = false): void {
  saveModel(model, dir, { includeOptimizer });
}

/** Loads a model folder; `compile` restores its compile settings (for evaluate). */
export function loadTrainedModel(dir: string, compile: boolean): Model {
  return loadModelSync(dir, { compile });
}

/** A model folder's model, checked against the preprocessing state that will encode its input. */
export function loadModelWithState(dir: string, state: PreprocessingState, compile: boolean): Model {
  const model = loadTrainedModel(dir, compile);
  try {
    checkStateMatchesModel(state, model.inputs.map((t) => t.shape), dir);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Loads a Keras file (.keras, .h5) without compiling it. */
export function loadKerasFile(file: string): Promise<Model> {
  return loadModel(file, { compile: false });
}

export { checkModelFiles };

/** The model summary as text, as model.summary() prints it (its width unless one is given). */
export function summaryText(model: Model, lineLength?: number): string {
  const lines: string[] = [];
  model.summary(lineLength, (line: string) => lines.push(line));
  return lines.join('\n') + '\n';
}
