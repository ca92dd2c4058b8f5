/**
 * What every model file format hands to the common loading steps: the Keras config, the training config,
 * and a way to match the stored weights with a model's. Loading and `validate` run the same steps
 * (buildFromSource), so a file that validates loads, and validate lists everything loading would refuse.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, IssueCollector } from '../config/config_error';
import { buildModel } from '../config/model_from_json';
import { modelConfigFromJson } from '../config/model_config_from_json';
import type { LayerVariable } from '../engine/variable';
import type { Model } from '../models/model';
import type { DecodedWeight } from './weight_codec';
import { WeightNameIndex } from './weight_names';

type Obj = Record<string, unknown>;

/** Values of one stored weight, as the model takes them. */
export interface WeightValues {
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** A model weight and where its value comes from. */
export interface WeightAssignment {
  variable: LayerVariable;
  read(): WeightValues;
}

export interface ModelSource {
  /** The file named in messages. */
  file: string;
  /** The Keras model config (any dialect; possibly wrapped in modelTopology / model_config), or null when unreadable. */
  topology: unknown;
  /** The stored training set-up (see training_config_reader.ts), or null. */
  trainingConfig: Obj | null;
  /** Whether the weights can be matched (false when the file's weight listing itself has problems, already reported). */
  weightsUsable: boolean;
  /** Gives the built model what the file keeps beside its config and weights (a Keras archive's vocabularies). */
  restoreAssets?(model: Model, issues: IssueCollector): void;
  /** Matches the stored weights with the model's, adding every mismatch to `issues`. */
  matchWeights(model: Model, issues: IssueCollector): WeightAssignment[];
  /**
   * Checks the optimizer state saved beside the model (its file structure and its link to the model; no
   * weight byte is read) and returns the reader of its weights; null when none is saved. Loading with
   * compile calls it before any weight is read.
   */
  openOptimizerState?(): (() => DecodedWeight[]) | null;
  /** Reads every stored weight byte without keeping it, checking the hashes the files record (for validate). */
  verifyWeightFiles?(): void;
  /** Releases what the source holds open (an HDF5 file); called once loading or checking is done. */
  close?(): void;
}

/** The stored entry of one weight, enough to check it against the model before reading its values. */
export interface StoredWeightEntry {
  name: string;
  shape: readonly number[];
  /** dtype of the values once decoded. */
  dtype: 'float32' | 'int32';
  /** dtype as the file spells it, for messages. */
  storedDtype: string;
}

/** Problems of one stored weight against the model weight it claims. */
export function weightMismatch(entry: StoredWeightEntry, variable: LayerVariable): string | null {
  const expected = variable.shape;
  if (expected.length !== entry.shape.length || expected.some((d, i) => d !== entry.shape[i])) {
    return `shape [${entry.shape.join(', ')}] does not match the model's '${variable.name}' of shape [${expected.join(', ')}]`;
  }
  const expectedDtype = variable.dtype === 'int32' ? 'int32' : 'float32';
  if (expectedDtype !== entry.dtype) return `dtype ${entry.storedDtype} does not match the model's '${variable.name}' (${expectedDtype})`;
  return null;
}

/**
 * Matches stored weights to a model's by name (TensorFlow.js files, Keras 2 names; see weight_names.ts). Every
 * mismatch is reported under `where`; returns, for each matched model weight, the index of its entry.
 */
export function matchWeightsByName(model: Model, entries: readonly StoredWeightEntry[], issues: IssueCollector, where: string): { variable: LayerVariable; index: number }[] {
  const index = new WeightNameIndex(model);
  const names = index.names;
  const claimedBy = new Map<LayerVariable, string>();
  const matched: { variable: LayerVariable; index: number }[] = [];
  entries.forEach((entry, i) => {
    const variable = index.find(entry.name);
    if (variable === undefined) {
      issues.add(`${where}: ${entry.name}`, `the model has no weight of this name (its weights: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''})`);
      return;
    }
    const previous = claimedBy.get(variable);
    if (previous !== undefined) {
      issues.add(`${where}: ${entry.name}`, `sets '${variable.name}', which '${previous}' already set`);
      return;
    }
    claimedBy.set(variable, entry.name);
    const problem = weightMismatch(entry, variable);
    if (problem) issues.add(`${where}: ${entry.name}`, problem);
    else matched.push({ variable, index: i });
  });
  for (const w of model.weights) {
    if (!claimedBy.has(w)) issues.add(where, `no value for the model's weight '${w.name}'`);
  }
  return matched;
}

/** The model a source describes, with its weights matched; every problem goes to `issues`. */
export function buildFromSource(source: ModelSource, issues: IssueCollector): { model: Model | null; assignments: WeightAssignment[] } {
  if (source.topology === null) return { model: null, assignments: [] };
  let model: Model | null = null;
  try {
    model = buildModel(modelConfigFromJson(source.topology, source.file), source.file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const i of e.issues) issues.add(i.path, i.message);
  }
  if (model !== null) source.restoreAssets?.(model, issues);
  if (model === null || !source.weightsUsable) return { model, assignments: [] };
  try {
    return { model, assignments: source.matchWeights(model, issues) };
  } catch (e) {
    // A file whose weight listing cannot be read at all (a damaged HDF5 file) is one more problem of the file.
    issues.add('weights', `cannot be read: ${(e as Error).message}`);
    return { model, assignments: [] };
  }
}

/** Writes the matched values into the model (all were checked before; a value that cannot be read names its file and weight). */
export function writeAssignments(assignments: readonly WeightAssignment[], file: string): void {
  for (const a of assignments) {
    let stored: WeightValues;
    try {
      stored = a.read();
    } catch (e) {
      // A refusal of the loader's own (a file changed since it was checked) already names the file and the fix.
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(file, [{ path: a.variable.name, message: `the stored value cannot be read (a damaged file?): ${(e as Error).message}` }]);
    }
    const { values, dtype } = stored;
    const t = tf.tensor(values, [...a.variable.shape], dtype);
    try {
      a.variable.write(t);
    } finally {
      t.dispose();
    }
  }
}
