import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../errors';

/** What a `<config|model-dir>` argument names. */
export type ModelTarget =
  | { kind: 'model-dir'; dir: string }
  | { kind: 'keras-file'; file: string }
  | { kind: 'experiment'; file: string }
  | { kind: 'model-json'; file: string; json: unknown };

/** A Keras 3 archive or a Keras 2 HDF5 file, by its extension. */
export function isKerasFile(file: string): boolean {
  return /\.(keras|h5|hdf5)$/i.test(file);
}

/** A folder holding model.json, a Keras file (.keras, .h5), an experiment file (it has "data"), or a Keras model JSON file. */
export function resolveModelTarget(target: string, readJson: (file: string) => unknown): ModelTarget {
  const resolved = path.resolve(target);
  if (!fs.existsSync(resolved)) throw new UsageError(`not found: ${resolved}`, 'give an experiment file, a Keras model file (.json, .keras, .h5) or a model folder written by `recurrent fit`');
  if (fs.statSync(resolved).isDirectory()) {
    if (!fs.existsSync(path.join(resolved, 'model.json'))) throw new UsageError(`${resolved} has no model.json`, 'give a model folder written by `recurrent fit`');
    return { kind: 'model-dir', dir: resolved };
  }
  if (isKerasFile(resolved)) return { kind: 'keras-file', file: resolved };
  const json = readJson(resolved);
  if (json !== null && typeof json === 'object' && 'data' in json && 'model' in json) return { kind: 'experiment', file: resolved };
  return { kind: 'model-json', file: resolved, json };
}

/** A model folder argument, checked. */
export function modelDir(dir: string): string {
  const resolved = path.resolve(dir);
  if (!fs.existsSync(path.join(resolved, 'model.json'))) {
    throw new UsageError(`${resolved} is not a model folder (no model.json)`, 'give the output folder of `recurrent fit`');
  }
  return resolved;
}
