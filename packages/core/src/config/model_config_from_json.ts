/**
 * A whole Keras JSON model document (either dialect, possibly wrapped as a TensorFlow.js `modelTopology` or a
 * converter's `model_config`) -> the camelCase Sequential or Functional config that `Sequential.fromConfig` /
 * `Model.fromConfig` take. Every problem is collected; one ConfigError lists them all.
 */
import { toCamelCase } from './case_conversion';
import { IssueCollector } from './config_error';
import { describeValue } from './describe_value';
import { detectSource, semanticsOf, type SourceInfo } from './dialect';
import { legacyEndpointList, legacyInboundNodes, normalizeKeras3Syntax, type TensorRef } from './keras3_syntax';
import { layerFromJson, type CamelLayer, type ImportContext } from './layer_from_json';
import { joinPath } from './path';
import { getLayerClass } from '../engine/registry';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface SequentialConfigCamel {
  name?: string;
  layers: CamelLayer[];
}

export interface FunctionalLayerCamel extends CamelLayer {
  name: string;
  inboundNodes: [string, number, number, Obj][][];
}

export interface FunctionalConfigCamel {
  name?: string;
  layers: FunctionalLayerCamel[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
}

export type ModelConfigCamel =
  | { kind: 'Sequential'; config: SequentialConfigCamel; source: SourceInfo }
  | { kind: 'Functional'; config: FunctionalConfigCamel; source: SourceInfo };

const FUNCTIONAL_NAMES = new Set(['Functional', 'Model']);

/** Reports every problem under `base` (a nested model's config inside the outer document). */
class PrefixedIssues extends IssueCollector {
  constructor(private readonly outer: IssueCollector, private readonly base: string) {
    super();
  }
  override add(path: string, message: string): void {
    this.outer.add(path === '' ? this.base : `${this.base}.${path}`, message);
  }
  override get full(): boolean {
    return this.outer.full;
  }
  override get count(): number {
    return this.outer.count;
  }
}

/**
 * A model used as a layer inside another model's config (`{"class_name": "Sequential", "config": {...}}` in
 * a list of layers): its camelCase config, which `Sequential.fromConfig` / `Model.fromConfig` take, or
 * undefined after reporting problems under `configPath`.
 */
export function nestedModelFromJson(className: string, config: unknown, configPath: string, ctx: ImportContext): Obj | undefined {
  const issues = new PrefixedIssues(ctx.issues, configPath);
  const inner: ImportContext = { ...ctx, issues };
  const before = ctx.issues.count;
  const camel = className === 'Sequential' ? sequentialFromJson(config, inner) : functionalFromJson(config, inner);
  return ctx.issues.count === before ? (camel as unknown as Obj) : undefined;
}

/** Peels `modelTopology` (a whole model.json) and `model_config` (converter output); keeps the version found. */
export function unwrapModelDocument(doc: unknown): { model: unknown; kerasVersion: unknown; backend: unknown } {
  let current = doc;
  let kerasVersion: unknown;
  let backend: unknown;
  for (let i = 0; i < 3 && isObj(current); i++) {
    kerasVersion = current.keras_version ?? kerasVersion;
    backend = current.backend ?? backend;
    if (isObj(current.modelTopology)) current = current.modelTopology;
    else if (isObj(current.model_config)) current = current.model_config;
    else break;
  }
  return { model: current, kerasVersion, backend };
}

function sequentialFromJson(config: unknown, ctx: ImportContext): SequentialConfigCamel {
  // Keras before 2.2.3 wrote a Sequential config as the bare list of layers.
  const obj: Obj = Array.isArray(config) ? { layers: config } : isObj(config) ? config : {};
  if (!Array.isArray(config) && !isObj(config)) {
    ctx.issues.add('config', `expected {"name": ..., "layers": [...]}, got ${describeValue(config)}`);
  }
  if (!Array.isArray(obj.layers)) {
    ctx.issues.add('layers', `expected a list of layers, got ${describeValue(obj.layers)}`);
    return { layers: [] };
  }
  const entries = obj.layers.map((e) => (isObj(e) ? { ...e, config: isObj(e.config) ? { ...e.config } : e.config } : e));
  // Keras 3 records the input shape of a Sequential built without an InputLayer as build_input_shape.
  const first = entries[0];
  const shape = obj.build_input_shape;
  if (isObj(first) && isObj(first.config) && first.class_name !== 'InputLayer' && Array.isArray(shape)) {
    const c = first.config;
    if (c.batch_input_shape == null && c.input_shape == null) c.batch_input_shape = shape;
  }
  const layers: CamelLayer[] = [];
  for (let i = 0; i < entries.length && !ctx.issues.full; i++) {
    const layer = layerFromJson(entries[i], joinPath('layers', i), ctx);
    if (layer) layers.push(layer);
  }
  const out: SequentialConfigCamel = { layers };
  if (typeof obj.name === 'string') out.name = obj.name;
  return out;
}

function checkRef(ref: TensorRef, where: string, nodeCounts: Map<string, number>, ctx: ImportContext): void {
  const count = nodeCounts.get(ref[0]);
  if (count === undefined) {
    ctx.issues.add(where, `refers to a layer named "${ref[0]}", which is not in layers`);
  } else if (ref[1] < 0 || ref[1] >= count) {
    ctx.issues.add(where, `refers to call ${ref[1]} of layer "${ref[0]}", which is called only ${count} time(s)`);
  }
}

function functionalFromJson(config: unknown, ctx: ImportContext): FunctionalConfigCamel {
  if (!isObj(config)) {
    ctx.issues.add('config', `expected {"layers": [...], "input_layers": [...], "output_layers": [...]}, got ${describeValue(config)}`);
    return { layers: [], inputLayers: [], outputLayers: [] };
  }
  if (!Array.isArray(config.layers)) {
    ctx.issues.add('layers', `expected a list of layers, got ${describeValue(config.layers)}`);
    return { layers: [], inputLayers: [], outputLayers: [] };
  }
  const layers: FunctionalLayerCamel[] = [];
  const nodeCounts = new Map<string, number>();
  const pendingRefs: [TensorRef, string][] = [];
  for (let i = 0; i < config.layers.length && !ctx.issues.full; i++) {
    const entry: unknown = config.layers[i];
    const path = joinPath('layers', i);
    if (!isObj(entry)) {
      ctx.issues.add(path, `expected a layer {"class_name", "name", "config", "inbound_nodes"}, got ${describeValue(entry)}`);
      continue;
    }
    const name = typeof entry.name === 'string' ? entry.name : isObj(entry.config) && typeof entry.config.name === 'string' ? entry.config.name : undefined;
    if (name === undefined) {
      ctx.issues.add(joinPath(path, 'name'), 'every layer of a functional model needs a name, which its inbound_nodes refer to');
      continue;
    }
    if (nodeCounts.has(name)) ctx.issues.add(joinPath(path, 'name'), `the name "${name}" is used by two layers; layer names must be unique`);
    const nodes = legacyInboundNodes(entry.inbound_nodes, joinPath(path, 'inbound_nodes'), ctx.issues);
    nodeCounts.set(name, Math.max(1, nodes.length));
    nodes.forEach((node, n) => node.forEach((ref, k) => pendingRefs.push([ref as unknown as TensorRef, joinPath(joinPath(joinPath(path, 'inbound_nodes'), n), k)])));
    const withName = isObj(entry.config) ? { ...entry, config: { name, ...entry.config } } : entry;
    const layer = layerFromJson(withName, path, ctx);
    if (!layer) continue;
    const inboundNodes = nodes.map((node) => node.map((ref) => [ref[0], ref[1], ref[2], (isObj(ref[3]) ? camelKwargs(ref[3]) : {})] as [string, number, number, Obj]));
    layers.push({ ...layer, name, inboundNodes });
  }
  for (const [ref, where] of pendingRefs) if (!ctx.issues.full) checkRef(ref, where, nodeCounts, ctx);
  const inputLayers = legacyEndpointList(config.input_layers, 'input_layers', ctx.issues);
  const outputLayers = legacyEndpointList(config.output_layers, 'output_layers', ctx.issues);
  inputLayers.forEach((ref, i) => {
    checkRef(ref, joinPath('input_layers', i), nodeCounts, ctx);
    const layer = layers.find((l) => l.name === ref[0]);
    if (layer && layer.className !== 'InputLayer') ctx.issues.add(joinPath('input_layers', i), `"${ref[0]}" is a ${layer.className}; model inputs must be InputLayer layers`);
  });
  outputLayers.forEach((ref, i) => checkRef(ref, joinPath('output_layers', i), nodeCounts, ctx));
  if (inputLayers.length === 0) ctx.issues.add('input_layers', 'a functional model needs at least one input');
  if (outputLayers.length === 0) ctx.issues.add('output_layers', 'a functional model needs at least one output');
  const out: FunctionalConfigCamel = { layers, inputLayers, outputLayers };
  if (typeof config.name === 'string') out.name = config.name;
  return out;
}

function camelKwargs(kwargs: Obj): Obj {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [toCamelCase(k), v]));
}

/**
 * Reads a model document into a camelCase model config. Throws one ConfigError listing every problem,
 * with `source` (a file name, or 'model config') at its head.
 */
export function modelConfigFromJson(doc: unknown, source = 'model config'): ModelConfigCamel {
  const issues = new IssueCollector();
  const { model, kerasVersion, backend } = unwrapModelDocument(doc);
  const info = detectSource(kerasVersion, backend, model);
  const ctx: ImportContext = { semantics: semanticsOf(info), issues, readNestedModel: nestedModelFromJson };
  const normalized = normalizeKeras3Syntax(model);
  if (!isObj(normalized)) {
    issues.add('', `expected a model config {"class_name": "Sequential" | "Functional", "config": {...}}, got ${describeValue(normalized)}`);
    issues.throwIfAny(source);
  }
  const top = normalized as Obj;
  const className = top.class_name;
  if (className === 'Sequential') {
    const config = sequentialFromJson(top.config, ctx);
    issues.throwIfAny(source);
    return { kind: 'Sequential', config, source: info };
  }
  if (typeof className === 'string' && FUNCTIONAL_NAMES.has(className)) {
    const config = functionalFromJson(top.config, ctx);
    issues.throwIfAny(source);
    return { kind: 'Functional', config, source: info };
  }
  if (typeof className === 'string' && getLayerClass(className)) {
    issues.add('class_name', `expected a model ("Sequential" or "Functional"), got the layer "${className}"; put it in {"class_name": "Sequential", "config": {"layers": [...]}}`);
  } else {
    issues.add('class_name', `expected "Sequential" or "Functional" (Keras 2: "Model"), got ${describeValue(className)}`);
  }
  issues.throwIfAny(source);
  throw new Error('unreachable');
}
