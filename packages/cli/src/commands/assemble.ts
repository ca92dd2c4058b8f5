import { ExampleSet } from '../data/example_set';
import { adaptTextLayers } from '../data/adapt_text_layers';
import { prepareData } from '../data/prepare';
import { PreparedData } from '../data/prepared_data';
import { ExperimentError, Issue } from '../errors';
import { LoadedExperiment, respell } from '../experiment/load_experiment';
import { STAND_IN_SIZE } from '../experiment/model_check';
import { fillPlaceholders, placeholdersIn } from '../experiment/placeholders';
import { Model, buildModel, compile, compileIssues, memoryIssues } from '../library';

/** An experiment turned into data and a (compiled) model, or the list of everything wrong with it. */
export interface Assembly {
  prepared: PreparedData | null;
  modelJson: unknown;
  model: Model | null;
  issues: Issue[];
}

/**
 * Prepares the data, fills the model's placeholders, builds and compiles the model, and checks that
 * model and data fit together. Collects every problem instead of stopping at the first.
 */
export function assemble(loaded: LoadedExperiment, seed: number, options: { compile: boolean; seedModel?: (seed: number) => void }): Assembly {
  const { experiment } = loaded;
  const issues: Issue[] = [...compileIssues(experiment.compile), ...loaded.dataIssues];
  let prepared: PreparedData | null = null;
  if (loaded.dataIssues.length === 0) {
    try {
      prepared = prepareData(experiment.data, { file: loaded.file, baseDir: loaded.dir, seed, loss: experiment.compile.loss });
    } catch (e) {
      if (!(e instanceof ExperimentError)) throw e;
      issues.push(...e.issues);
    }
  }
  const dims = prepared?.state.dims ?? Object.fromEntries(placeholdersIn(loaded.modelJson).map((p) => [p, STAND_IN_SIZE]));
  const filled = fillPlaceholders(loaded.modelJson, dims);
  issues.push(...filled.issues);
  let model: Model | null = null;
  if (filled.issues.length === 0) {
    options.seedModel?.(seed);
    try {
      model = buildModel(filled.json, loaded.modelSource, typeof experiment.model !== 'string');
    } catch (e) {
      if (!(e instanceof ExperimentError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (model !== null && prepared !== null) {
    issues.push(...compatibilityIssues(model, prepared.train, prepared.state.dims));
    if (issues.length === 0) adaptTextLayers(model, prepared.train);
  }
  if (model !== null && options.compile && issues.every((i) => !i.path.startsWith('compile'))) {
    try {
      compile(model, experiment.compile, loaded.file);
    } catch (e) {
      if (!(e instanceof ExperimentError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (model !== null && prepared !== null && options.compile && issues.length === 0) {
    issues.push(...memoryIssues(model, experiment.fit.batchSize, sequenceLength(prepared.train)));
  }
  return { prepared, modelJson: filled.json, model, issues: issues.map((i) => ({ ...i })) };
}

/** The longest time dimension of the data's inputs (what a free sequence length will be), if any. */
function sequenceLength(examples: ExampleSet): number | undefined {
  const lengths = examples.inputs.map((f) => f.array.shape[1]).filter((t): t is number => typeof t === 'number');
  return lengths.length === 0 ? undefined : Math.max(...lengths);
}

/** Throws the assembly's issues as one error (paths spelt as the file spells them). */
export function throwIssues(loaded: LoadedExperiment, issues: Issue[]): void {
  if (issues.length > 0) throw respell(new ExperimentError(loaded.file, issues), loaded.spellings);
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
}

/** The model's inputs take the data's arrays, and its output has the size the labels need. */
export function compatibilityIssues(model: Model, examples: ExampleSet, dims: Record<string, number>): Issue[] {
  const issues: Issue[] = [];
  const inputs = model.inputs;
  if (inputs.length !== examples.inputs.length) {
    issues.push({
      path: 'model',
      message: `the model has ${inputs.length} input(s) but this data gives ${examples.inputs.length}`,
      fix: examples.inputs.length === 2 ? 'seq2seq models take [encoder input, decoder input]' : 'give the model one input',
    });
    return issues;
  }
  inputs.forEach((input, k) => {
    const feature = examples.inputs[k];
    if ((feature.texts !== undefined) !== (input.dtype === 'string')) {
      const text = feature.texts !== undefined;
      issues.push({
        path: 'model',
        message: text
          ? `input '${model.inputNames[k]}' takes ${input.dtype} numbers but data.encoding 'text' gives raw strings`
          : `input '${model.inputNames[k]}' takes strings but the data gives token ids`,
        fix: text ? "declare the input with dtype 'string' and start the model with TextVectorization" : "set data.encoding to 'text'",
      });
      return;
    }
    const dataShape = [null, ...feature.array.shape.slice(1), ...(feature.oneHot ? [feature.oneHot.depth] : [])];
    const modelShape = input.shape;
    const fits = modelShape.length === dataShape.length && modelShape.every((d, i) => i === 0 || d === null || d === dataShape[i]);
    if (!fits) {
      issues.push({
        path: 'model',
        message: `input '${model.inputNames[k]}' has shape ${shapeText(modelShape)} but the data gives ${shapeText(dataShape)}`,
        fix: `size the input with placeholders (${Object.keys(dims).map((d) => `$${d}`).join(', ')}), or change data.encoding`,
      });
    }
  });
  const outputSize = dims.outputSize;
  const output = model.outputs[0];
  if (outputSize !== undefined && output !== undefined) {
    const last = output.shape[output.shape.length - 1];
    if (last !== null && last !== outputSize) {
      issues.push({
        path: 'model',
        message: `output '${model.outputNames[0]}' has ${last} units but the data needs ${outputSize}`,
        fix: 'write "$outputSize" as the units of the last layer',
      });
    }
  }
  return issues;
}
