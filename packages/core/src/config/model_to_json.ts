/**
 * The public entry point from a Model to Keras JSON (the TensorFlow.js or the Keras 3 dialect). It reads
 * the model only through its config and graph, and imports no model class, so saving (which
 * `Model.save` calls) depends on it without an import cycle.
 */
import { ConfigError } from './config_error';
import type { WriteDialect } from './layer_to_json';
import { modelConfigToJson, type TensorInfoLookup } from './model_config_to_json';
import type { Model } from '../models/model';

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
  const config = model.getConfig() as unknown as Record<string, unknown>;
  // A functional config lists its graph's inputs; a Sequential config (of any subclass) only its layers.
  const kind = 'inputLayers' in config ? 'Functional' : 'Sequential';
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
