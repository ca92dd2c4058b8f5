/**
 * The part of a backup that lives in the model and the engine: weights, the optimizer's state (its
 * iteration count, slots and learning rate as a double: the optimizer keeps it as float32, which would
 * change the updates slightly after a resumption), the draws of the dropout streams, and the global
 * seed generator (it shuffles the next passes of the data).
 */
import * as tf from '@tensorflow/tfjs';
import { getSeed, setSeed } from '../../engine/random';
import { optimizerOf } from '../compile_args';
import type { ModelLike } from '../model_like';
import type { Optimizer } from '../optimizers/optimizer';
import { getRandomState, setRandomState } from './random_streams';
import { packTensors, unpackTensors, type PackedTensors, type TensorEntry } from './tensor_pack';

export interface ModelState {
  weights: PackedTensors;
  optimizer: PackedTensors;
  learningRate: number | null;
  randomStreams: number[];
  globalSeed: number | null;
}

function optimizerOrThrow(model: ModelLike): Optimizer {
  const optimizer = optimizerOf(model);
  if (optimizer === null) throw new Error('BackupAndRestore: the model has no optimizer; compile it first.');
  return optimizer;
}

export function captureModelState(model: ModelLike): ModelState {
  const optimizer = optimizerOrThrow(model);
  const weights = model.getWeights();
  const slots = optimizer.getWeights();
  try {
    return {
      weights: packTensors(weights.map((_, i) => `weight_${i}`), weights),
      optimizer: packTensors(optimizer.getWeightNames(), slots),
      learningRate: optimizer.learningRateSchedule === null ? optimizer.learningRate : null,
      randomStreams: getRandomState(model),
      globalSeed: getSeed(),
    };
  } finally {
    tf.dispose([...weights, ...slots]);
  }
}

export interface SavedModelState {
  weights: { entries: TensorEntry[]; data: Buffer };
  optimizer: { entries: TensorEntry[]; data: Buffer };
  learningRate: number | null;
  randomStreams: number[];
  globalSeed: number | null;
}

/** Puts a saved state into the (built and compiled) model; errors say which part does not fit it. */
export function restoreModelState(model: ModelLike, saved: SavedModelState, where: string): void {
  const optimizer = optimizerOrThrow(model);
  const current = model.getWeights();
  const shapes = current.map((t) => t.shape);
  tf.dispose(current);
  if (shapes.length === 0 && saved.weights.entries.length > 0) {
    throw new Error(`${where}: the model has no weights yet; build it (give its first layer an input shape) before fit, so the backup can be restored into it.`);
  }
  if (shapes.length !== saved.weights.entries.length) throw new Error(`${where}: the backup holds ${saved.weights.entries.length} weights, but the model has ${shapes.length}: it belongs to another model.`);
  saved.weights.entries.forEach((e, i) => {
    if (!tf.util.arraysEqual(e.shape, shapes[i])) throw new Error(`${where}: weight ${i} has shape [${e.shape}] in the backup, but [${shapes[i]}] in the model: it belongs to another model.`);
  });
  const weights = unpackTensors(saved.weights.entries, saved.weights.data);
  const slots = unpackTensors(saved.optimizer.entries, saved.optimizer.data);
  try {
    model.setWeights(weights);
    if (slots.length > 0) {
      // Built now (as the first update would build it) so the slots are checked and land at once.
      if (!optimizer.isBuilt) optimizer.build(model.trainableWeights.map((w) => w.val), model.trainableWeights.map((w) => w.name));
      optimizer.setWeights(slots);
    }
    if (saved.learningRate !== null) optimizer.learningRate = saved.learningRate;
    setRandomState(model, saved.randomStreams);
    setSeed(saved.globalSeed);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  } finally {
    tf.dispose([...weights, ...slots]);
  }
}
