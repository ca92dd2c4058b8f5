/** The public entry points: Keras JSON (either dialect) -> Model, and Model -> Keras JSON. */
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { ConfigError } from './config_error';
import { DEFAULT_JSON_LIMITS, parseJsonSafely, valueNestingDepth } from './safe_json';
import { modelConfigFromJson, type ModelConfigCamel } from './model_config_from_json';
import { modelConfigToJson, type TensorInfoLookup } from './model_config_to_json';
import type { WriteDialect } from './layer_to_json';

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
  try {
    if (read.kind === 'Sequential') return Sequential.fromConfig(read.config as unknown as Record<string, unknown>) as Model;
    return Model.fromConfig(read.config as unknown as Record<string, unknown>) as Model;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(source, [{ path: '', message: `the config is valid but the model cannot be built: ${(e as Error).message}` }]);
  }
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

export interface ModelToJsonOptions {
  /**
   * 'tfjs': what @tensorflow/tfjs's loadLayersModel reads (fails for GRU reset_after=true and Keras 3's
   * hard_sigmoid, which tfjs cannot compute). 'keras3': Keras 3's spelling. 'auto' (default): 'tfjs' when the
   * model allows it, else 'keras3'.
   */
  dialect?: WriteDialect | 'auto';
}

/** Shapes of a model's symbolic tensors by [layer, node, tensor], as the config numbers them. */
function tensorInfoOf(model: Model): TensorInfoLookup {
  return (layerName, nodeIndex, tensorIndex) => {
    const layer = model.layers.find((l) => l.name === layerName);
    const nodes = layer?.inboundNodes.filter((n) => model.graphMap.nodeSet.has(n));
    const t = nodes?.[nodeIndex]?.outputTensors[tensorIndex];
    return t ? { shape: [...t.shape], dtype: t.dtype } : undefined;
  };
}

/** The model's config as a Keras JSON object in the chosen dialect. */
export function modelToKerasConfig(model: Model, opts: ModelToJsonOptions = {}): Record<string, unknown> {
  const dialect = opts.dialect ?? 'auto';
  const kind = model instanceof Sequential ? 'Sequential' : 'Functional';
  const config = model.getConfig() as unknown as Record<string, unknown>;
  const write = (d: WriteDialect) => modelConfigToJson(kind, config, { dialect: d, tensorInfo: tensorInfoOf(model) });
  if (dialect !== 'auto') return write(dialect);
  try {
    return write('tfjs');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return write('keras3');
  }
}

/** The model's config as Keras JSON text (default dialect 'auto'). */
export function modelToJSON(model: Model, opts: ModelToJsonOptions = {}): string {
  return JSON.stringify(modelToKerasConfig(model, opts));
}
