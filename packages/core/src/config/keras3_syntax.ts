/**
 * Keras 3 spellings rewritten into the Keras 2 / TensorFlow.js ones that the rest of the config code
 * reads: serialization wrappers (`module`, `registered_name`, `build_config`) dropped, dtype policy objects
 * replaced by their dtype name, `batch_shape` renamed `batch_input_shape`, and `inbound_nodes` objects
 * (`{"args": [...], "kwargs": {...}}` with `__keras_tensor__` histories) turned into node lists
 * `[[name, node_index, tensor_index, kwargs], ...]`.
 */
import type { IssueCollector } from './config_error';
import { describeValue } from './describe_value';
import { setOwn } from './own_keys';
import { joinPath } from './path';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Keys Keras writes around a serialized object that carry nothing a layer needs. */
const WRAPPER_KEYS = ['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id'];

/** `{"class_name": "DTypePolicy", "config": {"name": "float32"}}` -> "float32" (also FloatDTypePolicy, Policy). */
function dtypeFromPolicy(value: unknown): unknown {
  if (isObj(value) && typeof value.class_name === 'string' && /(DTypePolicy|^Policy)$/.test(value.class_name)) {
    const config = value.config;
    if (isObj(config) && typeof config.name === 'string') return config.name;
  }
  return value;
}

/** Keras 3 may serialize a built-in activation as `{"class_name": "function", "config": "relu"}`. */
function activationFromObject(value: unknown): unknown {
  if (isObj(value) && value.class_name === 'function' && typeof value.config === 'string') return value.config;
  return value;
}

const ACTIVATION_KEYS = new Set(['activation', 'recurrent_activation']);

/** Deep copy with the Keras 3 spellings replaced (nodes are left alone: see `legacyInboundNodes`). */
export function normalizeKeras3Syntax(value: unknown): unknown {
  // Lists of plain values (a shape) are copied without a call per item.
  if (Array.isArray(value)) return value.map((item) => (item !== null && typeof item === 'object' ? normalizeKeras3Syntax(item) : item));
  if (!isObj(value)) return value;
  if (value.class_name === '__keras_tensor__') return value;
  const out: Obj = {};
  const isSerialized = typeof value.class_name === 'string' && Object.hasOwn(value, 'config');
  for (const [key, inner] of Object.entries(value)) {
    if (isSerialized && WRAPPER_KEYS.includes(key)) continue;
    if (key === 'inbound_nodes') {
      setOwn(out, key, inner);
      continue;
    }
    let v = inner;
    if (key === 'dtype') v = dtypeFromPolicy(v);
    if (ACTIVATION_KEYS.has(key)) v = activationFromObject(v);
    const newKey = key === 'batch_shape' ? 'batch_input_shape' : key;
    // Keras 3 writes both in a few places; the explicit batch_input_shape wins.
    if (newKey === 'batch_input_shape' && key === 'batch_shape' && Object.hasOwn(value, 'batch_input_shape')) continue;
    // Defined, not assigned: a key named __proto__ stays a key (and is then refused as unknown).
    setOwn(out, newKey, normalizeKeras3Syntax(v));
  }
  return out;
}

/** One tensor reference of a node: [layer name, node index, tensor index]. */
export type TensorRef = [string, number, number];

function isTensorRefList(v: unknown): v is [string, number, number, ...unknown[]] {
  return Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

/** A `__keras_tensor__` object's history, or undefined. */
function kerasTensorRef(v: unknown): TensorRef | undefined {
  if (!isObj(v) || v.class_name !== '__keras_tensor__' || !isObj(v.config)) return undefined;
  const h = v.config.keras_history;
  return isTensorRefList(h) ? [h[0], h[1], h[2]] : undefined;
}

/** Collects the tensor references found anywhere in `v` (nested lists of keras tensors). */
function collectRefs(v: unknown, out: TensorRef[]): boolean {
  const ref = kerasTensorRef(v);
  if (ref) {
    out.push(ref);
    return true;
  }
  if (Array.isArray(v)) {
    let any = false;
    for (const item of v) any = collectRefs(item, out) || any;
    return any;
  }
  return false;
}

/**
 * Tensors a layer may take as keyword arguments that are its inputs after the first: MultiHeadAttention's
 * `value` and `key` (`mha(query, value=v, key=k)`), in this order. They join the node's inputs.
 */
const KEYWORD_INPUTS = ['value', 'key'];

/**
 * Keras 3 node `{"args": [x], "kwargs": {"initial_state": [h, c], "mask": null}}` -> the Keras 2 node
 * `[[x..., 0, 0, {}], [h...], [c...]]`. Initial states become extra inputs, as Keras 2 and TensorFlow.js
 * record them; masks are dropped because they propagate from the layers that make them; other tensor
 * arguments are reported as not supported.
 */
export function legacyNodeFromKeras3(node: Obj, path: string, issues: IssueCollector): unknown[][] {
  const refs: TensorRef[] = [];
  const args = Array.isArray(node.args) ? node.args : [];
  args.forEach((arg, i) => {
    if (!collectRefs(arg, refs) && arg !== null) {
      issues.add(joinPath(joinPath(path, 'args'), i), `positional call arguments other than tensors are not supported, got ${describeValue(arg)}`);
    }
  });
  const kwargs: Obj = {};
  const nodeKwargs = isObj(node.kwargs) ? node.kwargs : {};
  const keywordInputs = new Map<string, TensorRef[]>();
  for (const [key, value] of Object.entries(nodeKwargs)) {
    const tensorRefs: TensorRef[] = [];
    const hasTensors = collectRefs(value, tensorRefs) || (isObj(value) && kerasTensorRef(value) !== undefined);
    if (!hasTensors) {
      if (key !== 'mask' && key !== 'training') setOwn(kwargs, key, value);
      continue;
    }
    if (key === 'initial_state' || KEYWORD_INPUTS.includes(key)) keywordInputs.set(key, tensorRefs);
    else if (key === 'mask') continue;
    else issues.add(joinPath(joinPath(path, 'kwargs'), key), `passing a tensor as the call argument '${key}' is not supported (only ${['initial_state', ...KEYWORD_INPUTS].join(', ')} are)`);
  }
  for (const key of [...KEYWORD_INPUTS, 'initial_state']) refs.push(...(keywordInputs.get(key) ?? []));
  return refs.map((r) => [r[0], r[1], r[2], kwargs]);
}

/**
 * Keras 2 nodes can also carry tensors in kwargs (`{"initial_state": [["enc", 0, 1], ...]}` in some
 * tf.keras versions): moves those into the node's inputs as well, so both spellings read the same.
 */
export function legacyNodeFromKeras2(node: unknown[], path: string, issues: IssueCollector): unknown[][] {
  const entries: unknown[][] = [];
  const extra: unknown[][] = [];
  node.forEach((entry, i) => {
    if (!isTensorRefList(entry)) {
      issues.add(joinPath(path, i), `expected [layer_name, node_index, tensor_index, kwargs], got ${describeValue(entry)}`);
      return;
    }
    const kwargs = isObj(entry[3]) ? { ...entry[3] } : {};
    const keywordInputs = new Map<string, unknown[][]>();
    for (const key of Object.keys(kwargs)) {
      const value = kwargs[key];
      const refs = Array.isArray(value) && value.every(isTensorRefList) ? (value as unknown[][]) : isTensorRefList(value) ? [value] : null;
      if (refs === null) continue;
      delete kwargs[key];
      if (key === 'initial_state' || KEYWORD_INPUTS.includes(key)) keywordInputs.set(key, refs);
      else if (key !== 'mask') issues.add(joinPath(joinPath(path, i), key), `passing a tensor as the call argument '${key}' is not supported (only ${['initial_state', ...KEYWORD_INPUTS].join(', ')} are)`);
    }
    for (const key of [...KEYWORD_INPUTS, 'initial_state']) extra.push(...(keywordInputs.get(key) ?? []).map((r) => [r[0], r[1], r[2], {}]));
    delete kwargs.mask;
    delete kwargs.training;
    entries.push([entry[0], entry[1], entry[2], kwargs]);
  });
  return [...entries, ...extra.map((e) => [e[0], e[1], e[2], entries[0]?.[3] ?? {}])];
}

/** Normalizes a layer's `inbound_nodes` of either dialect into Keras 2 node lists. */
export function legacyInboundNodes(value: unknown, path: string, issues: IssueCollector): unknown[][][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.add(path, `expected a list of nodes, got ${describeValue(value)}`);
    return [];
  }
  return value.map((node, n) => {
    const nodePath = joinPath(path, n);
    if (isObj(node)) return legacyNodeFromKeras3(node, nodePath, issues);
    if (Array.isArray(node)) return legacyNodeFromKeras2(node, nodePath, issues);
    issues.add(nodePath, `expected a node (a list of [layer_name, node_index, tensor_index, kwargs]), got ${describeValue(node)}`);
    return [];
  });
}

/** `input_layers`/`output_layers`: Keras 3 writes a single reference flat (`["input", 0, 0]`). */
export function legacyEndpointList(value: unknown, path: string, issues: IssueCollector): TensorRef[] {
  if (isTensorRefList(value)) return [[value[0], value[1], value[2]]];
  if (!Array.isArray(value)) {
    issues.add(path, `expected a list of [layer_name, node_index, tensor_index], got ${describeValue(value)}`);
    return [];
  }
  const out: TensorRef[] = [];
  value.forEach((item, i) => {
    if (isTensorRefList(item)) out.push([item[0], item[1], item[2]]);
    else issues.add(joinPath(path, i), `expected [layer_name, node_index, tensor_index], got ${describeValue(item)}`);
  });
  return out;
}
