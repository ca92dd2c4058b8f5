/**
 * `loadWeights(model, file)` and `saveWeights(model, file)`: a model's weights alone, in Keras's files, for
 * a model whose architecture is built on both sides (from the same JSON, or the same code).
 */
import * as path from 'path';
import { IssueCollector } from '../../config/config_error';
import type { Model } from '../../models/model';
import { writeAssignments } from '../model_source';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../read_model_files';
import { openKerasWeights } from './keras_file_source';
import { kerasFileKind } from './keras_format';
import { writeKerasWeights } from './write_keras_file';

/**
 * Sets every weight of a built model from a Keras file: a Keras 3 `.weights.h5` (from `model.save_weights`), a
 * Keras 2 `.h5` (model or weights), or the weights of a `.keras` archive. Every mismatch is reported at once;
 * nothing is set unless everything fits.
 */
export async function loadWeights(model: Model, file: string, opts: { limits?: Partial<ReadLimits> } = {}): Promise<void> {
  if (kerasFileKind(file) === null) throw new Error(`loadWeights: expected a Keras file (.weights.h5, .h5 or .keras), got ${JSON.stringify(file)}; a TensorFlow.js folder loads with loadModel.`);
  if (model.weights.length === 0 && !model.built) throw new Error(`loadWeights: '${model.name}' is not built, so it has no weights yet; give its first layer an inputShape, or call it on data first.`);
  const resolved = path.resolve(file);
  const source = await openKerasWeights(resolved, { ...DEFAULT_READ_LIMITS, ...(opts.limits ?? {}) });
  try {
    const issues = new IssueCollector();
    const assignments = source.matchWeights(model, issues);
    issues.throwIfAny(resolved);
    writeAssignments(assignments, resolved);
  } finally {
    source.close();
  }
}

/** Writes a model's weights as a Keras 3 `.weights.h5` file (what Keras's `model.load_weights` reads), atomically. */
export async function saveWeights(model: Model, file: string): Promise<void> {
  if (!/\.weights\.h5$/i.test(file)) throw new Error(`saveWeights: expected a path ending in .weights.h5 (Keras's name for a weights file), got ${JSON.stringify(file)}.`);
  await writeKerasWeights(model, file);
}
