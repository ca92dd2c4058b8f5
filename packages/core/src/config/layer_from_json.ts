/**
 * One layer of a Keras JSON config (snake_case, already in Keras 2 spelling) -> the camelCase
 * `{className, config}` its class's `fromConfig` takes, checked against the layer's zod schema. Problems are
 * added to the collector with their full path; the function never throws for bad input.
 */
import type { z } from 'zod';
import { activationNames, canonicalActivationName } from '../activations';
import { getLayerClass, layerClassNames } from '../engine/registry';
import { didYouMean } from '../data/nearest_name';
import { keysToCamel, toCamelCase, toSnakeCase } from './case_conversion';
import type { IssueCollector } from './config_error';
import { describeValue, shortText } from './describe_value';
import type { Semantics } from './dialect';
import { layerArgsSchema } from './layer_schemas';
import { joinPath } from './path';
import { acceptsNull, knownKeys, objectShape } from './zod_introspect';
import { zodIssuesToConfigIssues } from './zod_messages';
import { NO_EFFECT_KEYS, RESTRICTED_KEYS, unsupportedClassReason, unsupportedDtypeReason } from './unsupported';

export interface CamelLayer {
  className: string;
  config: Record<string, unknown>;
}

/** Reads a model used as a layer: its camelCase config, or undefined after reporting problems. */
export type NestedModelReader = (className: string, config: unknown, configPath: string, ctx: ImportContext) => Record<string, unknown> | undefined;

export interface ImportContext {
  semantics: Semantics;
  issues: IssueCollector;
  /**
   * The model reader, for models nested as layers. Passed in by the model reader itself, which reads
   * layers through this module, so neither module imports the other in a cycle.
   */
  readNestedModel: NestedModelReader;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Model classes, which a config may use as layers (read by the model reader, recursively). */
const NESTED_MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** Keys holding a whole nested layer (wrappers, RNN cells). */
const NESTED_LAYER_KEYS = new Set(['layer', 'backward_layer', 'cell']);
const ACTIVATION_KEYS = ['activation', 'recurrent_activation'];
const RECURRENT_CLASSES = new Set(['LSTM', 'GRU', 'LSTMCell', 'GRUCell']);

function checkActivation(config: Obj, key: string, path: string, ctx: ImportContext): void {
  const value = config[key];
  if (typeof value !== 'string') return;
  // The same word means different functions in Keras 2 and 3: read it the way the file's writer did.
  if (value === 'hard_sigmoid' || value === 'hardSigmoid') {
    config[key] = ctx.semantics.hardSigmoid;
    return;
  }
  if (canonicalActivationName(value) === undefined) {
    ctx.issues.add(joinPath(path, key), `unknown activation ${describeValue(value)}${didYouMean(value, activationNames())}`);
    delete config[key];
  }
}

function fillRecurrentDefaults(className: string, config: Obj, ctx: ImportContext): void {
  if (!RECURRENT_CLASSES.has(className)) return;
  const d = ctx.semantics.recurrentDefaults;
  if (d.recurrentActivation !== undefined && config.recurrent_activation == null) config.recurrent_activation = d.recurrentActivation;
  if (d.resetAfter !== undefined && className.startsWith('GRU') && config.reset_after == null) config.reset_after = d.resetAfter;
  if (d.unitForgetBias !== undefined && className.startsWith('LSTM') && config.unit_forget_bias == null) config.unit_forget_bias = d.unitForgetBias;
}

/** Resolves the class name: registered, known-but-unsupported, or unknown with a suggestion. */
function resolveClass(className: unknown, path: string, ctx: ImportContext, layerName: string): string | undefined {
  if (typeof className !== 'string' || className === '') {
    ctx.issues.add(joinPath(path, 'class_name'), `expected a layer class name such as "LSTM", got ${describeValue(className)}`);
    return undefined;
  }
  const cls = getLayerClass(className);
  if (cls) return cls.className;
  const reason = unsupportedClassReason(className);
  const where = layerName ? ` (layer '${shortText(layerName)}')` : '';
  if (reason) ctx.issues.add(joinPath(path, 'class_name'), `${className}${where} is not supported: ${reason}`);
  else ctx.issues.add(joinPath(path, 'class_name'), `unknown layer class ${describeValue(className)}${where}${didYouMean(className, layerClassNames())}`);
  return undefined;
}

/** Removes keys that mean nothing here, refuses unsupported values, reports unknown keys with a suggestion. */
function screenKeys(className: string, config: Obj, schema: z.ZodType, path: string, ctx: ImportContext, layerName: string): void {
  const shape = objectShape(schema) ?? {};
  const known = Object.keys(shape);
  const where = layerName ? `${className} '${layerName}'` : className;
  for (const snakeKey of Object.keys(config)) {
    const key = toCamelCase(snakeKey);
    const value = config[snakeKey];
    const restricted = RESTRICTED_KEYS.get(snakeKey);
    // A layer that declares the key implements it (zero_output_for_mask on recurrent layers); the others are refused here.
    if (restricted && !(Object.hasOwn(shape, key) && restricted.implementedWhenDeclared)) {
      if (value !== restricted.accepted && value !== null && value !== undefined) ctx.issues.add(joinPath(path, snakeKey), `${where}: ${restricted.reason}`);
      delete config[snakeKey];
      continue;
    }
    if (Object.hasOwn(shape, key)) {
      // Writers such as TensorFlow.js store null for "default" (implementation, unit_forget_bias).
      if (value === null && !acceptsNull(shape[key])) delete config[snakeKey];
      continue;
    }
    if (NO_EFFECT_KEYS.has(snakeKey)) {
      delete config[snakeKey];
      continue;
    }
    ctx.issues.add(joinPath(path, snakeKey), `unknown key for ${where}${didYouMean(snakeKey, known.map(toSnakeCase))}`);
    delete config[snakeKey];
  }
}

/** Converts and checks one layer entry `{class_name, config, ...}` found at `path`. */
export function layerFromJson(entry: unknown, path: string, ctx: ImportContext): CamelLayer | undefined {
  if (!isObj(entry)) {
    ctx.issues.add(path, `expected a layer {"class_name": ..., "config": {...}}, got ${describeValue(entry)}`);
    return undefined;
  }
  const rawConfig = entry.config === undefined ? {} : entry.config;
  if (!isObj(rawConfig)) {
    ctx.issues.add(joinPath(path, 'config'), `expected an object of layer arguments, got ${describeValue(rawConfig)}`);
    return undefined;
  }
  const layerName = typeof rawConfig.name === 'string' ? rawConfig.name : typeof entry.name === 'string' ? entry.name : '';
  const className = resolveClass(entry.class_name, path, ctx, layerName);
  if (!className) return undefined;
  if (NESTED_MODEL_CLASSES.has(className)) {
    const kind = className === 'Sequential' ? 'Sequential' : 'Functional';
    const config = ctx.readNestedModel(kind, entry.config, joinPath(path, 'config'), ctx);
    return config === undefined ? undefined : { className, config };
  }
  const schema = layerArgsSchema(className);
  if (!schema) {
    ctx.issues.add(joinPath(path, 'class_name'), `${className} cannot be read from a config (its argument schema is not available)`);
    return undefined;
  }
  const configPath = joinPath(path, 'config');
  const config: Obj = { ...rawConfig };
  const dtypeProblem = unsupportedDtypeReason(config.dtype);
  if (dtypeProblem) {
    ctx.issues.add(joinPath(configPath, 'dtype'), `${className} '${layerName}': ${dtypeProblem}`);
    delete config.dtype;
  }
  for (const key of ACTIVATION_KEYS) checkActivation(config, key, configPath, ctx);
  fillRecurrentDefaults(className, config, ctx);
  screenKeys(className, config, schema, configPath, ctx, layerName);

  // Nested layers are read with their own class's schema, so their errors carry their own paths.
  const nested: Obj = {};
  const nestedKeys: string[] = [];
  for (const key of Object.keys(config)) {
    if ((NESTED_LAYER_KEYS.has(key) && isObj(config[key])) || (key === 'cells' && Array.isArray(config[key]))) nestedKeys.push(key);
    if (NESTED_LAYER_KEYS.has(key) && isObj(config[key])) {
      const inner = layerFromJson(config[key], joinPath(configPath, key), ctx);
      if (inner) nested[toCamelCase(key)] = inner;
      delete config[key];
    } else if (key === 'cells' && Array.isArray(config[key])) {
      const cells = (config[key] as unknown[]).map((c, i) => layerFromJson(c, joinPath(joinPath(configPath, key), i), ctx));
      if (cells.every((c) => c !== undefined)) nested.cells = cells;
      delete config[key];
    }
  }
  const camel = { ...(keysToCamel(config) as Obj), ...nested };
  const before = ctx.issues.count;
  const parsed = schema.safeParse(camel, { reportInput: true });
  if (!parsed.success) {
    // Nested layers were validated above; their schema-level object form is checked again by the wrapper's
    // schema, which would only repeat those problems.
    const issues = zodIssuesToConfigIssues(parsed.error.issues, camel, [configPath], toSnakeCase)
      .filter((i) => !nestedKeys.some((k) => i.path.startsWith(joinPath(configPath, k))));
    for (const i of issues) ctx.issues.add(i.path, i.message);
  }
  if (ctx.issues.count > before) return undefined;
  return { className, config: camel };
}

/** The snake_case keys a layer class accepts (for suggestions and documentation). */
export function layerJsonKeys(className: string): string[] {
  const schema = layerArgsSchema(className);
  return schema ? knownKeys(schema).map(toSnakeCase) : [];
}
