/**
 * compile(): resolves the optimizer, the per-output losses, loss weights and metrics (names or
 * objects, a single value for every output, a list with one entry per output, or an object keyed by
 * output name), as Keras's Model.compile.
 */
import * as tf from '@tensorflow/tfjs';
import { ownValue } from '../config/own_keys';
import type { ModelLike } from './model_like';
import { getLoss, type LossIdentifier } from './losses/get_loss';
import { Loss } from './losses/loss';
import { getMetric, type MetricIdentifier } from './metrics/get_metric';
import { Metric } from './metrics/metric';
import { getOptimizer, type OptimizerIdentifier } from './optimizers/get_optimizer';
import { Optimizer } from './optimizers/optimizer';
import { CompiledTraining, type OutputMetrics } from './compiled_training';

export type PerOutput<T> = T | (T | null)[] | Record<string, T | null>;
export type MetricsSpec = MetricIdentifier | (MetricIdentifier | MetricIdentifier[] | null)[] | Record<string, MetricIdentifier | MetricIdentifier[] | null>;

export interface CompileArgs {
  /** Default 'rmsprop'. */
  optimizer?: OptimizerIdentifier;
  loss?: PerOutput<LossIdentifier>;
  metrics?: MetricsSpec;
  /** Metrics that also take the sample (and class) weights. */
  weightedMetrics?: MetricsSpec;
  lossWeights?: number[] | Record<string, number>;
}

const COMPILE_KEYS = ['optimizer', 'loss', 'metrics', 'weightedMetrics', 'lossWeights'];

const compiledModels = new WeakMap<ModelLike, CompiledTraining>();

/**
 * Compile arguments of a model whose outputs are not known yet (a Sequential without an input shape):
 * losses and metrics are resolved once the first batch has built it, as Keras does.
 */
interface PendingCompile {
  args: CompileArgs;
  optimizer: Optimizer;
  config: Record<string, unknown>;
}
const pendingCompiles = new WeakMap<ModelLike, PendingCompile>();

/** The compiled training state of a model, or a clear error naming the call that needs it. */
export function getCompiled(model: ModelLike, caller: string): CompiledTraining {
  const compiled = compiledModels.get(model);
  if (compiled) return compiled;
  const pending = pendingCompiles.get(model);
  if (!pending) throw new Error(`${caller}: the model must be compiled first; call model.compile({ optimizer, loss, metrics }).`);
  if (model.outputNames.length === 0) {
    throw new Error(`${caller}: the model has no outputs yet; give its first layer an inputShape, or call it on data first.`);
  }
  pendingCompiles.delete(model);
  return resolveCompile(model, pending);
}

/** The compiled state when it is resolved already (null for none or a compile waiting for the model's outputs). */
export function peekCompiled(model: ModelLike): CompiledTraining | null {
  return compiledModels.get(model) ?? null;
}

export function isCompiled(model: ModelLike): boolean {
  return compiledModels.has(model) || pendingCompiles.has(model);
}

/** The optimizer set by compile, or null. */
export function optimizerOf(model: ModelLike): Optimizer | null {
  return compiledModels.get(model)?.optimizer ?? pendingCompiles.get(model)?.optimizer ?? null;
}

/**
 * Ends a model's training set-up: frees the optimizer's slot variables (and a restored state waiting
 * for them). Called when the model is disposed; the model may be compiled again afterwards.
 */
export function releaseCompiled(model: ModelLike): void {
  optimizerOf(model)?.dispose();
  compiledModels.delete(model);
  pendingCompiles.delete(model);
}

/** A serialized identifier: `{className, config?}` and nothing else. */
function isSerializedObject(x: unknown): boolean {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof Loss || x instanceof Metric) return false;
  const keys = Object.keys(x);
  return keys.includes('className') && keys.every((k) => k === 'className' || k === 'config');
}

function isKeyedObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !isSerializedObject(x) && !(x instanceof Loss) && !(x instanceof Metric);
}

/** Spreads a per-output argument to one entry per output. */
function perOutput<T>(spec: unknown, outputNames: readonly string[], what: string, isSingle: (x: unknown) => boolean): (T | null)[] {
  if (spec === undefined || spec === null) return outputNames.map(() => null);
  if (isKeyedObject(spec)) {
    const unknown = Object.keys(spec).filter((k) => !outputNames.includes(k));
    if (unknown.length > 0) throw new Error(`compile: ${what} has key(s) ${unknown.join(', ')} that are not output names; the outputs are ${outputNames.join(', ')}.`);
    return outputNames.map((n) => (ownValue(spec, n) ?? null) as T | null);
  }
  if (Array.isArray(spec) && !isSingle(spec)) {
    if (spec.length !== outputNames.length) {
      throw new Error(`compile: ${what} is a list of ${spec.length} entries but the model has ${outputNames.length} output(s) (${outputNames.join(', ')}); give one entry per output or an object keyed by output name.`);
    }
    return spec as (T | null)[];
  }
  return outputNames.map(() => spec as T);
}

function resolveMetrics(spec: MetricsSpec | undefined, outputNames: readonly string[], losses: (Loss | null)[], what: string): Metric[][] {
  if (spec === undefined || spec === null) return outputNames.map(() => []);
  const flat = (x: unknown): MetricIdentifier[] => (x === null || x === undefined ? [] : Array.isArray(x) ? (x as MetricIdentifier[]) : [x as MetricIdentifier]);
  let entries: MetricIdentifier[][];
  if (outputNames.length === 1) {
    entries = [isKeyedObject(spec) ? flat(ownValue(spec as Record<string, unknown>, outputNames[0]) ?? invalidKeys(spec, outputNames, what)) : flat(spec).flatMap((m) => flat(m))];
  } else if (isKeyedObject(spec)) {
    entries = perOutput<unknown>(spec, outputNames, what, () => false).map(flat);
  } else if (Array.isArray(spec) && spec.length === outputNames.length) {
    entries = spec.map(flat);
  } else {
    // The same metrics for every output (Keras 2 behaviour); objects cannot be shared between outputs.
    const shared = flat(spec);
    if (shared.some((m) => m instanceof Metric)) {
      throw new Error(`compile: ${what} holds Metric objects for a model with several outputs; give one list per output (or an object keyed by output name) so each output gets its own metric objects.`);
    }
    entries = outputNames.map(() => shared);
  }
  return entries.map((ids, i) => ids.map((id) => getMetric(id, losses[i], `compile: ${what}`)));
}

function invalidKeys(spec: unknown, outputNames: readonly string[], what: string): never {
  throw new Error(`compile: ${what} has keys ${Object.keys(spec as object).join(', ')} but the model's output is '${outputNames[0]}'.`);
}

function serializeIdentifier(x: unknown): unknown {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'number') return x;
  if (x instanceof Loss || x instanceof Metric) return x.serialize();
  if (typeof x === 'function') return { className: 'CustomFunction', config: { name: x.name || 'anonymous' } };
  if (Array.isArray(x)) return x.map(serializeIdentifier);
  if (typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, k === 'config' ? v : serializeIdentifier(v)]));
  return String(x);
}

function hasAccessor(obj: object, key: string): boolean {
  for (let o: object | null = obj; o !== null; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d.get !== undefined || d.set !== undefined;
  }
  return false;
}

/** Sets up training for `model`; compiling again replaces the previous setup (and its metrics). */
export function compileModel(model: ModelLike, args: CompileArgs): void {
  if (args === null || typeof args !== 'object') throw new Error('compile: expected an object such as { optimizer: "adam", loss: "mse" }.');
  const unknown = Object.keys(args).filter((k) => !COMPILE_KEYS.includes(k));
  if (unknown.length > 0) throw new Error(`compile: unknown argument(s) ${unknown.join(', ')}; accepted: ${COMPILE_KEYS.join(', ')}.`);
  const optimizer = getOptimizer(args.optimizer ?? 'rmsprop', 'compile: optimizer');
  const previous = optimizerOf(model);
  if (previous && previous !== optimizer) previous.dispose();
  compiledModels.delete(model);
  pendingCompiles.delete(model);
  const config = {
    optimizer: optimizer.serialize(),
    loss: serializeIdentifier(args.loss),
    metrics: serializeIdentifier(args.metrics),
    weightedMetrics: serializeIdentifier(args.weightedMetrics),
    lossWeights: args.lossWeights ?? null,
  };
  // Keras exposes the optimizer as model.optimizer. Models that define it as a getter (Model reads it
  // back through optimizerOf) need nothing; plain objects get the property.
  if (!hasAccessor(model, 'optimizer')) (model as ModelLike & { optimizer?: Optimizer }).optimizer = optimizer;
  const pending = { args, optimizer, config };
  if (model.outputNames.length === 0) pendingCompiles.set(model, pending);
  else resolveCompile(model, pending);
}

function resolveCompile(model: ModelLike, { args, optimizer, config }: PendingCompile): CompiledTraining {
  const outputNames = model.outputNames;
  const lossIds = perOutput<LossIdentifier>(args.loss, outputNames, 'loss', (x) => isSerializedObject(x));
  const losses = lossIds.map((id, i) => (id === null ? null : getLoss(id, outputNames.length > 1 ? `compile: loss for output '${outputNames[i]}'` : 'compile: loss')));

  let lossWeights = outputNames.map(() => 1);
  if (args.lossWeights !== undefined && args.lossWeights !== null) {
    lossWeights = perOutput<number>(args.lossWeights, outputNames, 'lossWeights', () => false).map((w, i) => {
      if (w === null) return 1;
      if (typeof w !== 'number' || !Number.isFinite(w)) throw new Error(`compile: lossWeights for output '${outputNames[i]}' must be a finite number, got ${String(w)}.`);
      return w;
    });
  }

  const plain = resolveMetrics(args.metrics, outputNames, losses, 'metrics');
  const weighted = resolveMetrics(args.weightedMetrics, outputNames, losses, 'weightedMetrics');
  const metrics: OutputMetrics[] = outputNames.map((_, i) => ({ plain: plain[i], weighted: weighted[i] }));
  const compiled = new CompiledTraining(optimizer, outputNames, losses, lossWeights, metrics, config);
  compiledModels.set(model, compiled);
  return compiled;
}

/** The compile arguments in serializable form (the `trainingConfig` of a saved model), or null. */
export function getCompileConfig(model: ModelLike): Record<string, unknown> | null {
  return compiledModels.get(model)?.config ?? pendingCompiles.get(model)?.config ?? null;
}

/** The trainable weights' variables and names, in a stable order. */
export function trainableVariables(model: ModelLike): { variables: tf.Variable[]; names: string[] } {
  const weights = model.trainableWeights;
  return { variables: weights.map((w) => w.val), names: weights.map((w) => w.name) };
}
