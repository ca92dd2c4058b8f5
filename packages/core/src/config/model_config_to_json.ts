/**
 * camelCase model configs (what `Model.getConfig()` / `Sequential.getConfig()` return) -> Keras JSON documents
 * in the 'tfjs' or 'keras3' dialect (see layer_to_json.ts for what each dialect means).
 */
import { version as tfjsVersion } from '@tensorflow/tfjs';
import { keysToSnake } from './case_conversion';
import { IssueCollector } from './config_error';
import { layerToJson, type ExportContext, type WriteDialect } from './layer_to_json';
import { joinPath } from './path';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The version string written into TensorFlow.js-dialect documents (and read back as tfjs semantics). */
export const TFJS_KERAS_VERSION = `tfjs-layers ${tfjsVersion.tfjs}`;

/** Shape and dtype of a model's symbolic tensor, for Keras 3's `__keras_tensor__` records. */
export type TensorInfoLookup = (layerName: string, nodeIndex: number, tensorIndex: number) => { shape: (number | null)[]; dtype: string } | undefined;

/** Layers whose extra inputs are initial states (Keras 3 passes those as the `initial_state` argument). */
const STATEFUL_INPUT_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU', 'RNN', 'Bidirectional']);
/** Layers Keras 3 calls with their inputs as separate arguments (`mha(query, value, key)`), not as one list. */
const POSITIONAL_INPUT_CLASSES = new Set(['MultiHeadAttention']);

interface CamelLayerEntry {
  className: string;
  config: Obj;
  name?: string;
  inboundNodes?: unknown[][];
}

/**
 * Sequential in the tfjs dialect: the input shape goes on the first layer (`batch_input_shape`), the way
 * TensorFlow.js writes it. In the Keras 3 dialect: a leading InputLayer, the way Keras 3 writes it.
 */
function sequentialLayers(layers: CamelLayerEntry[], dialect: WriteDialect): CamelLayerEntry[] {
  const out = layers.map((l) => ({ ...l, config: { ...l.config } }));
  if (out.length === 0) return out;
  const first = out[0];
  if (dialect === 'tfjs' && first.className === 'InputLayer' && out.length > 1) {
    const shape = first.config.batchShape ?? first.config.batchInputShape;
    const next = out[1];
    delete next.config.inputShape;
    next.config.batchInputShape = shape;
    if (first.config.dtype === 'int32' && next.className !== 'Embedding') next.config.dtype = next.config.dtype ?? 'float32';
    return out.slice(1);
  }
  if (dialect === 'keras3' && first.className !== 'InputLayer' && Array.isArray(first.config.batchInputShape)) {
    const shape = first.config.batchInputShape;
    delete first.config.batchInputShape;
    // The input keeps the dtype the first layer gave it here, so reading the file back builds the same model.
    const inputConfig = { batchShape: shape, dtype: first.config.dtype ?? 'float32', sparse: false, name: `${String(first.config.name ?? 'sequential')}_input` };
    // Keras 3 dropped Embedding's input_length; the InputLayer carries the length now.
    if (first.className === 'Embedding') delete first.config.inputLength;
    return [{ className: 'InputLayer', config: inputConfig }, ...out];
  }
  return out;
}

function kerasTensor(ref: unknown[], lookup: TensorInfoLookup | undefined): Obj {
  const [name, ni, ti] = ref as [string, number, number];
  const info = lookup?.(name, ni, ti);
  return {
    class_name: '__keras_tensor__',
    config: { shape: info?.shape ?? null, dtype: info?.dtype ?? 'float32', keras_history: [name, ni, ti] },
  };
}

function keras3Node(className: string, node: unknown[][], lookup: TensorInfoLookup | undefined): Obj {
  const kwargs = (keysToSnake(isObj(node[0]?.[3]) ? node[0][3] : {}) as Obj);
  const tensors = node.map((ref) => kerasTensor(ref, lookup));
  if (tensors.length === 1) return { args: [tensors[0]], kwargs };
  if (STATEFUL_INPUT_CLASSES.has(className)) return { args: [tensors[0]], kwargs: { ...kwargs, initial_state: tensors.slice(1) } };
  if (POSITIONAL_INPUT_CLASSES.has(className)) return { args: tensors, kwargs };
  return { args: [tensors], kwargs };
}

function tfjsNode(node: unknown[][]): unknown[][] {
  return node.map((ref) => [ref[0], ref[1], ref[2], keysToSnake(isObj(ref[3]) ? ref[3] : {})]);
}

export interface ModelJsonOptions {
  dialect: WriteDialect;
  /** Shapes of the model's tensors (Keras 3 records them in every node); null shapes are written without it. */
  tensorInfo?: TensorInfoLookup;
}

/**
 * Converts a model config. `kind` says which model class produced `config`. Throws a ConfigError listing every
 * feature the chosen dialect cannot express.
 */
export function modelConfigToJson(kind: 'Sequential' | 'Functional', config: Obj, opts: ModelJsonOptions): Obj {
  const ctx: ExportContext = { dialect: opts.dialect, issues: new IssueCollector() };
  const layers = (Array.isArray(config.layers) ? config.layers : []) as CamelLayerEntry[];
  let body: Obj;
  if (kind === 'Sequential') {
    body = { name: config.name, layers: sequentialLayers(layers, opts.dialect).map((l, i) => layerToJson(l, joinPath('layers', i), ctx)) };
  } else {
    body = {
      name: config.name,
      layers: layers.map((l, i) => {
        const written = layerToJson(l, joinPath('layers', i), ctx);
        const nodes = (l.inboundNodes ?? []) as unknown[][][];
        const name = l.name ?? l.config.name;
        const inbound = opts.dialect === 'keras3' ? nodes.map((n) => keras3Node(l.className, n, opts.tensorInfo)) : nodes.map(tfjsNode);
        return opts.dialect === 'keras3'
          ? { ...written, name, inbound_nodes: inbound }
          : { class_name: written.class_name, name, config: written.config, inbound_nodes: inbound };
      }),
      input_layers: config.inputLayers,
      output_layers: config.outputLayers,
    };
  }
  ctx.issues.throwIfAny(`model '${String(config.name ?? '')}' (writing the ${opts.dialect === 'tfjs' ? 'TensorFlow.js' : 'Keras 3'} dialect)`);
  if (opts.dialect === 'tfjs') {
    return { class_name: kind === 'Sequential' ? 'Sequential' : 'Model', config: body, keras_version: TFJS_KERAS_VERSION, backend: 'tensor_flow.js' };
  }
  const keras3Body = { ...body, trainable: config.trainable ?? true };
  return { module: 'keras', class_name: kind, config: keras3Body, registered_name: null };
}
