/**
 * The parts of @recurrent/core the commands use to build, compile, train, save and load models, in
 * one place: the rest of the command line depends on these functions, not on the library's layout.
 */
import {
  ConfigError,
  Model,
  checkModelFiles,
  compileConfigSchema,
  compileModel,
  loadModel,
  loadModelSync,
  modelFromJSON,
  optimizerOf,
  saveModel,
  testOnBatch,
  trainOnBatch,
} from '@recurrent/core';
import { ExperimentError, Issue } from './errors';
import { compileSectionToCamel } from './experiment/compile_keys';
import { zodIssues } from './experiment/issue_paths';
import { Predictor } from './inference/predictor';
import { getRandomState, setRandomState } from './training/random_streams';
import { TrainingModel } from './training/training_model';

export type { Model };

/** Whether the first segment of a config path (`layers[0]...`) exists in `json` below `prefix`. */
function resolvesUnder(json: unknown, prefix: string[], path: string): boolean {
  let node: unknown = json;
  for (const key of prefix) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[key];
  }
  const first = /^[^.[]+/.exec(path)?.[0];
  return first !== undefined && node !== null && typeof node === 'object' && first in (node as object);
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
    throw new ExperimentError(file, [{ path: 'compile', message: (e as Error).message }]);
  }
}

function logsOf(result: unknown): Record<string, number> {
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) return result as Record<string, number>;
  if (typeof result === 'number') return { loss: result };
  throw new Error('trainOnBatch returned no named logs');
}

/** A compiled model as the training loop sees it. */
export function trainingModel(model: Model, classWeight?: Record<string, number>): TrainingModel {
  const optimizer = () => {
    const o = optimizerOf(model);
    if (o === null) throw new Error('the model is not compiled');
    return o;
  };
  return {
    trainOnBatch: async (xs, ys, resetMetrics) => logsOf(trainOnBatch(model, xs, ys, { resetMetrics, returnDict: true, classWeight: classWeight as never })),
    testOnBatch: async (xs, ys, resetMetrics) => logsOf(testOnBatch(model, xs, ys, { resetMetrics, returnDict: true })),
    getWeights: () => model.getWeights(),
    setWeights: (values) => model.setWeights(values),
    getOptimizerWeights: () => {
      const o = optimizer();
      return o.isBuilt ? { names: o.getWeightNames(), values: o.getWeights() } : { names: [], values: [] };
    },
    setOptimizerWeights: (values) => {
      if (values.length === 0) return;
      // Build first (as the first update would) so the values land now, not at the next step.
      const weights = model.trainableWeights;
      optimizer().build(
        weights.map((w) => w.val),
        weights.map((w) => w.name),
      );
      optimizer().setWeights(values);
    },
    getRandomState: () => getRandomState(model),
    setRandomState: (states) => setRandomState(model, states),
    getLearningRate: () => (optimizer().learningRateSchedule === null ? optimizer().learningRate : null),
    setLearningRate: (value) => {
      optimizer().learningRate = value;
    },
    get stopTraining() {
      return model.stopTraining;
    },
    set stopTraining(value: boolean) {
      model.stopTraining = value;
    },
    get stateful() {
      return model.stateful;
    },
    resetStates: () => model.resetStates(),
  };
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

/** Loads a Keras file (.keras, .h5) without compiling it. */
export function loadKerasFile(file: string): Promise<Model> {
  return loadModel(file, { compile: false });
}

export { checkModelFiles };

/** The model summary as text. */
export function summaryText(model: Model, lineLength = 90): string {
  const lines: string[] = [];
  model.summary(lineLength, (line: string) => lines.push(line));
  return lines.join('\n') + '\n';
}
