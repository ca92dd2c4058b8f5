/** The public entry point from Keras JSON (either dialect) to a Model; model_to_json.ts writes the other way. */
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { ConfigError } from './config_error';
import { checkMemory, MemoryLimitError } from '../models/memory_estimate';
import { DEFAULT_JSON_LIMITS, parseJsonSafely, valueNestingDepth } from './safe_json';
import { modelConfigFromJson, type ModelConfigCamel } from './model_config_from_json';

export interface ModelFromJsonOptions {
  /** Names the document in error messages (a file path, say); default 'model config'. */
  source?: string;
}

/** Parses (text) or checks (object) a document within the JSON limits. */
export function readJsonDocument(json: string | object, source: string): unknown {
  if (typeof json === 'string') return parseJsonSafely(json, source);
  if (json === null || typeof json !== 'object') {
    throw new ConfigError(source, [{ path: '', message: `expected JSON text or a config object, got ${json === null ? 'null' : typeof json}` }]);
  }
  if (valueNestingDepth(json, DEFAULT_JSON_LIMITS.maxDepth) > DEFAULT_JSON_LIMITS.maxDepth) {
    throw new ConfigError(source, [{ path: '', message: `nesting deeper than ${DEFAULT_JSON_LIMITS.maxDepth} levels (or a reference cycle); a model config never needs that` }]);
  }
  return json;
}

/** Builds the model a camelCase config describes; construction errors become a ConfigError naming `source`. */
export function buildModel(read: ModelConfigCamel, source: string): Model {
  let model: Model;
  try {
    if (read.kind === 'Sequential') model = Sequential.fromConfig(read.config as unknown as Record<string, unknown>) as Model;
    else model = Model.fromConfig(read.config as unknown as Record<string, unknown>) as Model;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(source, [{ path: '', message: `the config is valid but the model cannot be built: ${(e as Error).message}` }]);
  }
  // Weights are declared, not allocated, so a model too large for the machine is refused here, at once.
  try {
    checkMemory(model.memoryEstimate(), 'the model');
  } catch (e) {
    model.dispose();
    if (e instanceof MemoryLimitError) throw new ConfigError(source, [{ path: '', message: e.message }]);
    throw e;
  }
  return model;
}

/**
 * A model from Keras JSON: a Sequential or Functional config of Keras 2, tf.keras, Keras 3 or TensorFlow.js
 * (also wrapped as `{"modelTopology": ...}` or `{"model_config": ...}`), as text or as a parsed object.
 * Throws one ConfigError listing every problem.
 */
export function modelFromJSON(json: string | object, opts: ModelFromJsonOptions = {}): Model {
  const source = opts.source ?? 'model config';
  const doc = readJsonDocument(json, source);
  return buildModel(modelConfigFromJson(doc, source), source);
}
