/**
 * The training side of a saved model: the compile arguments (written as Keras's `training_config`:
 * loss, metrics, optimizer_config) and, on request, the optimizer's state.
 */
import * as tf from '@tensorflow/tfjs';
import { keysToSnake } from '../config/case_conversion';
import { compileModel, getCompileConfig, optimizerOf } from '../training/compile_args';
import type { Optimizer } from '../training/optimizers/optimizer';
import type { Model } from '../models/model';
import type { WeightToEncode } from './weight_codec';
import type { DecodedWeight } from './weight_codec';
import { readTrainingConfig } from './training_config_reader';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}


/** TensorFlow.js spells one optimizer class differently; it reads the others as Keras writes them. */
const TFJS_OPTIMIZER_NAMES = new Map([['RMSprop', 'RMSProp']]);
const TFJS_OPTIMIZERS = new Set(['SGD', 'Adam', 'RMSProp', 'Adagrad']);

/** Keras's short loss names written out in full: TensorFlow.js knows only the long ones (as Keras does too). */
const CANONICAL_LOSSES = new Map([['mse', 'mean_squared_error'], ['mae', 'mean_absolute_error']]);
const TFJS_LOSSES = new Set(['mean_squared_error', 'mean_absolute_error', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy']);
const TFJS_METRICS = new Set(['accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mse', 'mae', 'mean_squared_error', 'mean_absolute_error', 'precision', 'recall', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy']);

function canonicalLoss(v: unknown): unknown {
  if (typeof v === 'string') return CANONICAL_LOSSES.get(v) ?? v;
  if (Array.isArray(v)) return v.map(canonicalLoss);
  if (isObj(v) && typeof v.class_name !== 'string') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonicalLoss(x)]));
  return v;
}

function allNamesIn(v: unknown, known: Set<string>): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return known.has(v);
  if (Array.isArray(v)) return v.every((x) => allNamesIn(x, known));
  if (isObj(v) && typeof v.class_name !== 'string') return Object.values(v).every((x) => allNamesIn(x, known));
  return false;
}

/**
 * Whether @tensorflow/tfjs can compile from this training config. tfjs's loadLayersModel compiles the model
 * from `trainingConfig` and fails entirely on a name it does not know, so a config it cannot read is stored
 * under another key (see saved_artifacts.ts) and the model stays loadable there for inference.
 */
export function tfjsCanReadTrainingConfig(config: Obj): boolean {
  const optimizer = isObj(config.optimizer_config) ? config.optimizer_config.class_name : undefined;
  return typeof optimizer === 'string' && TFJS_OPTIMIZERS.has(optimizer) && allNamesIn(config.loss, TFJS_LOSSES)
    && allNamesIn(config.metrics, TFJS_METRICS) && config.loss_weights == null && config.weighted_metrics == null;
}

/** A loss or metric identifier for the file: names as written, `{className, config}` objects in snake_case. */
function identifierToJson(v: unknown): unknown {
  if (typeof v === 'string' || v === null) return v;
  if (Array.isArray(v)) return v.map(identifierToJson);
  if (isObj(v) && typeof v.className === 'string') return keysToSnake(v);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, identifierToJson(x)]));
  return v;
}

/** Keras `training_config` of a compiled model. */
export function trainingConfigOf(c: Obj, current: Optimizer): Obj {
  // The optimizer as it is now (a callback may have changed its learning rate since compile).
  const optimizer = current.serialize();
  const out: Obj = {
    loss: canonicalLoss(identifierToJson(c.loss ?? null)),
    metrics: identifierToJson(c.metrics ?? null),
    optimizer_config: {
      class_name: TFJS_OPTIMIZER_NAMES.get(optimizer.className) ?? optimizer.className,
      config: keysToSnake(optimizer.config),
    },
  };
  if (c.lossWeights != null) out.loss_weights = c.lossWeights;
  if (c.weightedMetrics != null) out.weighted_metrics = identifierToJson(c.weightedMetrics);
  return out;
}

export interface CapturedTrainingState {
  trainingConfig: Obj;
  optimizer: { config: Obj; weights: WeightToEncode[] } | null;
}

/** The optimizer's state as named weights, read without keeping tensors alive. */
function optimizerWeights(optimizer: Optimizer): WeightToEncode[] {
  const names = optimizer.getWeightNames();
  const tensors = optimizer.getWeights();
  try {
    return tensors.map((t, i) => ({
      name: names[i] ?? `${optimizer.name}/variable_${i}`,
      shape: [...t.shape],
      dtype: t.dtype === 'int32' ? 'int32' : 'float32',
      values: (t.dataSync() as Float32Array | Int32Array).slice(),
    }));
  } finally {
    tf.dispose(tensors);
  }
}

/** What to save of a model's training set-up; null when the model was never compiled. */
export function captureTrainingState(model: Model, includeOptimizer: boolean): CapturedTrainingState | null {
  const config = getCompileConfig(model);
  const optimizer = optimizerOf(model);
  if (!config || !optimizer) return null;
  const trainingConfig = trainingConfigOf(config, optimizer);
  if (!includeOptimizer) return { trainingConfig, optimizer: null };
  return {
    trainingConfig,
    optimizer: { config: { class_name: optimizer.className, config: keysToSnake(optimizer.getConfig()) }, weights: optimizerWeights(optimizer) },
  };
}

/**
 * Compiles a model from a stored training config. A config that cannot be used leaves the model
 * uncompiled: the returned text says what was skipped; null when the model was compiled.
 */
export function compileFromTrainingConfig(model: Model, trainingConfig: Obj): string | null {
  const reading = readTrainingConfig(trainingConfig);
  if (reading.args === null) return reading.problems.join('; ');
  try {
    compileModel(model, reading.args);
    return null;
  } catch (e) {
    return (e as Error).message.replace(/^compile: /, '').replace(/\.$/, '');
  }
}

/**
 * Compiles a loaded model from its training config and, when given, restores the optimizer state. Returns
 * what was skipped when the config cannot be used (the caller warns once), null when the model was compiled.
 */
export function restoreTrainingState(model: Model, trainingConfig: Obj, optimizerState: DecodedWeight[] | null): string | null {
  const skipped = compileFromTrainingConfig(model, trainingConfig);
  if (skipped !== null) return skipped;
  const optimizer = optimizerOf(model);
  if (!optimizerState || !optimizer) return null;
  const tensors = optimizerState.map((w) => tf.tensor(w.values, w.spec.shape, w.dtype));
  try {
    optimizer.setWeights(tensors, optimizerState.map((w) => w.spec.name));
  } finally {
    tf.dispose(tensors);
  }
  return null;
}

/** The one warning of a model loaded uncompiled because its training config was skipped. */
export function uncompiledWarning(source: string, skipped: string): string {
  return `${source}: loaded without compiling; the saved training config was skipped (${skipped}). ` +
    "Compile the model before training or evaluating it: model.compile({ optimizer: 'adam', loss: ..., metrics: [...] }).";
}
