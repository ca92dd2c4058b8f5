/**
 * The training set-up stored with a model, as its writers spell it, read into compile arguments:
 * - Keras 2 and the TensorFlow.js converter: `training_config` {loss, metrics, optimizer_config, ...}. From
 *   Keras 2.11 the optimizer is `Custom>Adam` (the new optimizers' registered name) with options such as
 *   `jit_compile` and `is_legacy_optimizer`, and a metric asked for by name is stored as
 *   `MeanMetricWrapper` {name: "accuracy", fn: "sparse_categorical_accuracy"};
 * - TensorFlow.js and this library: `trainingConfig` in the same shape, keys possibly camelCase;
 * - Keras 3 (.keras config.json): `compile_config` {optimizer, loss, metrics, ...}, objects with `module`
 *   and `registered_name`.
 * A training config never stops a model from loading: what cannot be mapped is listed, and the caller
 * loads the model uncompiled with one warning (see restoreTrainingState).
 */
import { keysToCamel, toCamelCase } from '../config/case_conversion';
import { describeValue } from '../config/describe_value';
import type { CompileArgs } from '../training/compile_args';
import { getOptimizer } from '../training/optimizers/get_optimizer';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface TrainingConfigReading {
  /** The compile arguments, or null when something could not be mapped. */
  args: CompileArgs | null;
  /** What could not be mapped, one phrase each (`optimizer 'Lion': unknown optimizer`). */
  problems: string[];
}

/**
 * Optimizer options that do not change the update (or are at the value that does not), as Keras 2.11+ and
 * Keras 3 write them. Any other value of these keys is a feature this library lacks.
 */
const INERT_OPTIMIZER_OPTIONS: ReadonlyMap<string, (v: unknown) => boolean> = new Map<string, (v: unknown) => boolean>([
  ['jitCompile', () => true],
  ['isLegacyOptimizer', () => true],
  ['useEma', (v) => v === false || v == null],
  ['emaMomentum', () => true],
  ['emaOverwriteFrequency', () => true],
  ['lossScaleFactor', (v) => v == null],
  ['gradientAccumulationSteps', (v) => v == null],
  ['decay', (v) => v === 0 || v == null],
]);

/** `{module, class_name, config, registered_name}` or `{class_name, config}` -> `{className, config}` (camelCase keys). */
function serialized(v: Obj): { className: string; config: Obj } | null {
  const className = v.class_name ?? v.className;
  if (typeof className !== 'string') return null;
  const config = v.config;
  return { className, config: isObj(config) ? (keysToCamel(config) as Obj) : {} };
}

/** A Keras 3 function reference (`{class_name: "function", config: "mean_squared_error"}`) -> its name. */
function functionName(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (isObj(v) && (v.class_name ?? v.className) === 'function' && typeof v.config === 'string') return v.config;
  return null;
}

function readOptimizer(value: unknown, problems: string[]): CompileArgs['optimizer'] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const s = isObj(value) ? serialized(value) : null;
  if (!s || !isObj(value)) {
    problems.push(`optimizer: expected a name or {class_name, config}, got ${describeValue(value)}`);
    return undefined;
  }
  const className = s.className.replace(/^Custom>/, '');
  let known: Set<string>;
  try {
    const probe = getOptimizer(className);
    known = new Set(Object.keys(probe.getConfig()));
    probe.dispose();
  } catch (e) {
    problems.push(`optimizer '${s.className}': ${(e as Error).message.replace(/^optimizer: /, '')}`);
    return undefined;
  }
  const config: Obj = {};
  const raw = isObj(value.config) ? value.config : {};
  for (const [key, v] of Object.entries(raw)) {
    const k = key === 'lr' ? 'learningRate' : toCamelCase(key);
    const inert = INERT_OPTIMIZER_OPTIONS.get(k);
    if (inert) {
      if (!inert(v)) problems.push(`optimizer '${s.className}': option ${key} = ${describeValue(v)} is not supported`);
      continue;
    }
    if (!known.has(k)) {
      problems.push(`optimizer '${s.className}': unknown option ${key}`);
      continue;
    }
    config[k] = isObj(v) ? (serialized(v) ?? keysToCamel(v)) : v;
  }
  return { className, config };
}

/** Keras 2's loss reduction 'auto' is today's default. */
function readLossObject(s: { className: string; config: Obj }): { className: string; config: Obj } {
  const config = { ...s.config };
  if (config.reduction === 'auto') config.reduction = 'sum_over_batch_size';
  delete config.dtype;
  return { className: s.className, config };
}

/** Losses and metrics: names, serialized objects, lists (one per output) and objects keyed by output. */
function readIdentifiers(value: unknown, what: 'loss' | 'metric', problems: string[]): unknown {
  const name = functionName(value);
  if (name !== null) return name;
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => readIdentifiers(v, what, problems));
  if (!isObj(value)) {
    problems.push(`${what}: expected a name or {class_name, config}, got ${describeValue(value)}`);
    return null;
  }
  const s = serialized(value);
  if (s === null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readIdentifiers(v, what, problems)]));
  if (what === 'loss') return readLossObject(s);
  if (s.className === 'MeanMetricWrapper') {
    const fn = functionName(s.config.fn);
    if (fn === null) {
      problems.push(`metric '${String(s.config.name ?? 'MeanMetricWrapper')}': wraps a function that is not stored by name`);
      return null;
    }
    return { className: 'MeanMetricWrapper', config: { fn, name: typeof s.config.name === 'string' ? s.config.name : fn } };
  }
  const config = { ...s.config };
  delete config.dtype;
  return { className: s.className, config };
}

/** tfjs writes `{}` for "no metrics"; Keras writes null. */
function isEmpty(v: unknown): boolean {
  return v == null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

/**
 * Compile arguments from a stored training config (any of the spellings above). The arguments are only
 * mapped here; compiling can still fail on a name the training module does not know, which the caller
 * reports the same way.
 */
export function readTrainingConfig(config: Obj): TrainingConfigReading {
  const problems: string[] = [];
  const optimizer = readOptimizer(config.optimizer_config ?? config.optimizerConfig ?? config.optimizer, problems);
  const args: Obj = {};
  if (optimizer !== undefined) args.optimizer = optimizer;
  if (config.loss === undefined || config.loss === null) problems.push('loss: none stored');
  else args.loss = readIdentifiers(config.loss, 'loss', problems);
  const metrics = config.metrics;
  if (!isEmpty(metrics)) args.metrics = readIdentifiers(metrics, 'metric', problems);
  const weighted = config.weighted_metrics ?? config.weightedMetrics;
  if (!isEmpty(weighted)) args.weightedMetrics = readIdentifiers(weighted, 'metric', problems);
  const lossWeights = config.loss_weights ?? config.lossWeights;
  if (lossWeights != null) args.lossWeights = lossWeights;
  return { args: problems.length === 0 ? (args as CompileArgs) : null, problems };
}
