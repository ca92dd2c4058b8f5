/**
 * A layer's camelCase `{className, config}` -> Keras JSON in one of the two written dialects:
 * - 'tfjs': what `tf.loadLayersModel` of @tensorflow/tfjs reads (Keras 2 spellings, tfjs's class names).
 *   TensorFlow.js computes `hard_sigmoid` as 0.2x + 0.5 and has no GRU with reset_after=true, so a model
 *   that needs Keras 3's hard_sigmoid or reset_after=true cannot be written for it (an error says so).
 * - 'keras3': Keras 3's own spellings (`module`, `registered_name`, dtype policy objects, `batch_shape`).
 *   Our `hard_sigmoid_legacy` (read from Keras 2 files) is written under that name, which Keras 3 refuses
 *   rather than silently computing another function.
 */
import { getLayerClass } from '../engine/registry';
import type { TfjsConfigAdapter } from '../layers/tfjs_dialect';
import { keysToSnake, toSnakeCase } from './case_conversion';
import type { IssueCollector } from './config_error';
import { joinPath } from './path';

export type WriteDialect = 'tfjs' | 'keras3';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface ExportContext {
  dialect: WriteDialect;
  issues: IssueCollector;
}

/** tfjs's names where they differ from Keras's (tfjs camel-cases these back when it reads them). */
const TFJS_ACTIVATIONS = new Map<string, string | null>([
  ['hard_sigmoid_legacy', 'hard_sigmoid'],
  ['silu', 'swish'],
  ['hard_sigmoid', null],
  ['exponential', null],
]);
const TFJS_INITIALIZER_CLASSES = new Map([['LecunNormal', 'LeCunNormal'], ['LecunUniform', 'LeCunUniform']]);

/** `{className, config}` objects (initializers, regularizers, constraints) are recognized by their shape. */
function isSerializedObject(v: unknown): v is { className: string; config: Obj } {
  return isObj(v) && typeof v.className === 'string' && 'config' in v && Object.keys(v).length === 2;
}

function moduleFor(key: string): string {
  if (/Initializer$/.test(key)) return 'keras.initializers';
  if (/Regularizer$/.test(key)) return 'keras.regularizers';
  if (/Constraint$/.test(key)) return 'keras.constraints';
  return 'keras';
}

function objectForTfjs(obj: { className: string; config: Obj }): { className: string; config: Obj } {
  const className = TFJS_INITIALIZER_CLASSES.get(obj.className) ?? obj.className;
  const config = { ...(obj.config ?? {}) };
  if (className === 'VarianceScaling' && config.distribution === 'untruncated_normal') config.distribution = 'normal';
  // tfjs has one regularizer class, L1L2; Keras 3's L1 and L2 are its special cases.
  if (className === 'L1') return { className: 'L1L2', config: { l1: config.l1 ?? 0, l2: 0 } };
  if (className === 'L2') return { className: 'L1L2', config: { l1: 0, l2: config.l2 ?? 0 } };
  return { className, config };
}

function dtypePolicy(name: unknown): Obj {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/** Wraps a snake_case `{class_name, config}` the Keras 3 way. */
function keras3Wrap(module: string, body: Obj): Obj {
  return { module, class_name: body.class_name, config: body.config, registered_name: null };
}

const NESTED_LAYER_KEYS = ['layer', 'backwardLayer', 'cell'];

/** Converts one layer; problems (features the dialect cannot express) go to `ctx.issues` under `path`. */
export function layerToJson(layer: { className: string; config: Obj }, path: string, ctx: ExportContext, nestedIn?: string): Obj {
  const { className } = layer;
  const config: Obj = { ...layer.config };
  const configPath = joinPath(path, 'config');
  const nested: Obj = {};
  if (ctx.dialect === 'tfjs' && className === 'Bidirectional') prepareBidirectionalForTfjs(config);
  for (const key of NESTED_LAYER_KEYS) {
    if (isObj(config[key]) && typeof (config[key] as Obj).className === 'string') {
      nested[key] = layerToJson(config[key] as { className: string; config: Obj }, joinPath(configPath, key), ctx, className);
      delete config[key];
    }
  }
  if (Array.isArray(config.cells)) {
    nested.cells = (config.cells as { className: string; config: Obj }[]).map((c, i) => layerToJson(c, joinPath(joinPath(configPath, 'cells'), i), ctx, className));
    delete config.cells;
  }
  for (const [key, value] of Object.entries(config)) {
    if (!isSerializedObject(value)) continue;
    if (ctx.dialect === 'tfjs') config[key] = objectForTfjs(value);
  }
  if (ctx.dialect === 'tfjs') adaptForTfjs(className, config, configPath, ctx, nestedIn);
  else if (className === 'InputLayer' && 'batchInputShape' in config) {
    config.batchShape = config.batchInputShape;
    delete config.batchInputShape;
  }
  const snake = keysToSnake(config) as Obj;
  for (const [key, value] of Object.entries(nested)) snake[key === 'backwardLayer' ? 'backward_layer' : key] = value;
  if (ctx.dialect === 'tfjs') return { class_name: className, config: snake };
  for (const [key, value] of Object.entries(config)) {
    const snakeKey = toSnakeCase(key);
    const written = snake[snakeKey];
    if (isSerializedObject(value) && isObj(written)) snake[snakeKey] = keras3Wrap(moduleFor(key), written);
  }
  if ('dtype' in snake) snake.dtype = dtypePolicy(snake.dtype ?? 'float32');
  return keras3Wrap('keras.layers', { class_name: className, config: snake });
}

function adaptForTfjs(className: string, config: Obj, path: string, ctx: ExportContext, nestedIn?: string): void {
  for (const key of ['activation', 'recurrentActivation']) {
    const value = config[key];
    if (typeof value !== 'string' || !TFJS_ACTIVATIONS.has(value)) continue;
    const mapped = TFJS_ACTIVATIONS.get(value);
    if (mapped === null) {
      const why = value === 'hard_sigmoid'
        ? "Keras 3's hard_sigmoid (x/6 + 0.5) has no TensorFlow.js equivalent (tfjs's is 0.2x + 0.5, our 'hard_sigmoid_legacy')"
        : `TensorFlow.js has no '${value}' activation`;
      ctx.issues.add(joinPath(path, key === 'activation' ? 'activation' : 'recurrent_activation'), `cannot be written for TensorFlow.js: ${why}`);
    } else {
      config[key] = mapped;
    }
  }
  if (className.startsWith('GRU') && config.resetAfter === true) {
    ctx.issues.add(joinPath(path, 'reset_after'), `GRU '${String(config.name ?? '')}' cannot be written for TensorFlow.js: tfjs only runs GRU with reset_after=false (build the model with resetAfter: false to export it)`);
  }
  // tfjs reads the key but refuses to call a layer that has one (predict and fit throw "not supported yet").
  if (config.activityRegularizer != null) {
    ctx.issues.add(joinPath(path, 'activity_regularizer'), `${className} '${String(config.name ?? '')}' cannot be written for TensorFlow.js: tfjs cannot call a layer with an activity regularizer`);
  }
  if (config.zeroOutputForMask === true && nestedIn !== 'Bidirectional') {
    ctx.issues.add(joinPath(path, 'zero_output_for_mask'), 'cannot be written for TensorFlow.js: tfjs has no zero_output_for_mask');
  }
  if (className === 'InputLayer' && 'batchShape' in config) {
    config.batchInputShape = config.batchShape;
    delete config.batchShape;
  }
  // Layers whose tfjs spelling differs say so themselves (layers/tfjs_dialect.ts).
  const adapt = (getLayerClass(className) as { adaptConfigForTfjs?: TfjsConfigAdapter } | undefined)?.adaptConfigForTfjs;
  for (const problem of adapt ? adapt(config) : []) {
    ctx.issues.add(problem.key ? joinPath(path, toSnakeCase(problem.key)) : path, `${className} '${String(config.name ?? '')}' cannot be written for TensorFlow.js: ${problem.reason}`);
  }
}

/**
 * TensorFlow.js rebuilds both directions from `layer` (naming them forward_/backward_ + its name) and has
 * no `backward_layer`: write the wrapped layer under its own name and leave the mirror out.
 */
function prepareBidirectionalForTfjs(config: Obj): void {
  const layer = config.layer;
  if (isObj(layer) && isObj(layer.config) && typeof layer.config.name === 'string') {
    const inner: Obj = { ...layer.config, name: layer.config.name.replace(/^forward_/, '') };
    delete inner.zeroOutputForMask;
    config.layer = { ...layer, config: inner };
  }
  delete config.backwardLayer;
}
