import * as tf from '@tensorflow/tfjs';
import { deriveSeed, getSeed, setSeed, shuffledIndices } from '@recurrent/core';
import { InterruptedError } from '../errors';
import { ExampleSet, batchTensors } from '../data/example_set';
import { History, appendEpoch } from '../report/history';
import { InterruptFlag, yieldToEventLoop } from './interrupt';
import { ProgressReporter } from './progress';
import { RunningMean } from './running_mean';
import { TrainingModel } from './training_model';
import { TrainingPosition } from './checkpoint';

/** Keras-style hooks called by the loop (a subset of Keras's callback protocol). */
export interface LoopCallback {
  onTrainBegin?(): Promise<void> | void;
  onTrainEnd?(logs: Record<string, number>): Promise<void> | void;
  onEpochBegin?(epoch: number): Promise<void> | void;
  onBatchEnd?(batch: number, logs: Record<string, number>): Promise<void> | void;
  onEpochEnd?(epoch: number, logs: Record<string, number>): Promise<void> | void;
}

export interface LoopOptions {
  model: TrainingModel;
  train: ExampleSet;
  validation: ExampleSet | null;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  /** Stateful models need full batches: the last partial batch is skipped. */
  dropRemainder?: boolean;
  /** Batches per epoch at most (Keras's stepsPerEpoch). */
  stepsPerEpoch?: number;
  /** Batch size of the validation pass (default batchSize). */
  validationBatchSize?: number;
  validationFreq: number;
  seed: number;
  start: TrainingPosition;
  progress: ProgressReporter;
  interrupt: InterruptFlag;
  callbacks?: LoopCallback[];
  /** Called with the position after every epoch and when interrupted; writes a checkpoint. */
  checkpoint: (position: TrainingPosition) => void;
  /** After the callbacks' onTrainBegin (a resumed run restores their state here). */
  afterTrainBegin?: () => void;
  /** After each epoch's line (text samples). */
  afterEpoch?: (epoch: number, history: History) => Promise<void> | void;
}

/** The order of the training examples in an epoch: a seeded permutation, the same on every run. */
export function epochOrder(size: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  return shuffle ? shuffledIndices(size, deriveSeed(seed, 'shuffle', epoch)) : Int32Array.from({ length: size }, (_, i) => i);
}

/** Loss and metrics over a whole example set, accumulated by the model's metrics as Keras does. */
export async function evaluateExamples(model: TrainingModel, set: ExampleSet, batchSize: number): Promise<Record<string, number>> {
  let logs: Record<string, number> = {};
  for (let start = 0; start < set.size; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, set.size - start) }, (_, i) => start + i);
    const { xs, ys } = batchTensors(set, indices);
    try {
      logs = await model.testOnBatch(xs, ys, start === 0);
    } finally {
      tf.dispose([...xs, ...ys]);
    }
  }
  return logs;
}

/**
 * The training loop of `recurrent fit`. Everything random is a function of (seed, epoch, batch): the
 * example order comes from a seeded permutation per epoch and the engine's global seed is reset before
 * every batch, so a run resumed from any batch boundary continues exactly as the uninterrupted run.
 * Ctrl-C is honoured between batches: the position is checkpointed and InterruptedError thrown.
 */
export async function trainLoop(options: LoopOptions): Promise<History> {
  const { model, train, validation, epochs, batchSize, seed, progress, interrupt } = options;
  const history = options.start.history;
  const available = options.dropRemainder ? Math.floor(train.size / batchSize) : Math.ceil(train.size / batchSize);
  const batches = Math.min(available, options.stepsPerEpoch ?? Infinity);
  if (batches === 0) throw new Error(`no training batch: ${train.size} examples for batches of ${batchSize}`);
  const callbacks = options.callbacks ?? [];
  for (const c of callbacks) await c.onTrainBegin?.();
  options.afterTrainBegin?.();
  let lastLogs: Record<string, number> = {};
  for (let epoch = options.start.epoch; epoch < epochs; epoch++) {
    const resuming = epoch === options.start.epoch && options.start.batch > 0;
    const firstBatch = resuming ? options.start.batch : 0;
    // The model's metrics accumulate this run's batches of the epoch; batches before a resumption are
    // carried over as averages from the checkpoint.
    const carried = new RunningMean(resuming ? (options.start.partial ?? undefined) : undefined);
    let mean = carried;
    let segmentCount = 0;
    const order = epochOrder(train.size, seed, epoch, options.shuffle);
    const started = Date.now();
    progress.epochBegin(epoch + 1, epochs, batches, firstBatch);
    for (const c of callbacks) await c.onEpochBegin?.(epoch);
    let done = firstBatch;
    for (let batch = firstBatch; batch < batches; batch++) {
      const indices = order.subarray(batch * batchSize, Math.min(train.size, (batch + 1) * batchSize));
      setSeed(deriveSeed(seed, 'step', epoch, batch));
      const { xs, ys } = batchTensors(train, indices);
      let segmentLogs: Record<string, number>;
      try {
        segmentLogs = await model.trainOnBatch(xs, ys, batch === firstBatch);
      } finally {
        tf.dispose([...xs, ...ys]);
      }
      segmentCount += indices.length;
      mean = carried.combinedWith(segmentLogs, segmentCount);
      const logs = mean.mean();
      done = batch + 1;
      progress.batchEnd(done, logs);
      for (const c of callbacks) await c.onBatchEnd?.(batch, logs);
      await yieldToEventLoop();
      if (model.stopTraining) break;
      if (interrupt.requested && done < batches) {
        options.checkpoint({ epoch, batch: done, partial: mean.state, history, rngState: getSeed() });
        throw new InterruptedError(`interrupted in epoch ${epoch + 1} after batch ${done}/${batches}`);
      }
    }
    const logs = mean.mean();
    if (model.stateful) model.resetStates();
    if (validation !== null && (epoch + 1) % options.validationFreq === 0) {
      const validationLogs = await evaluateExamples(model, validation, options.validationBatchSize ?? batchSize);
      for (const [name, value] of Object.entries(validationLogs)) logs[`val_${name}`] = value;
    }
    const seconds = (Date.now() - started) / 1000;
    progress.epochEnd(done, logs, seconds);
    // As in Keras, the history records the logs after the callbacks (ReduceLROnPlateau adds learning_rate).
    for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
    appendEpoch(history, epoch + 1, logs, seconds);
    lastLogs = logs;
    await options.afterEpoch?.(epoch, history);
    options.checkpoint({ epoch: epoch + 1, batch: 0, partial: null, history, rngState: getSeed() });
    await yieldToEventLoop();
    if (interrupt.requested && epoch + 1 < epochs) throw new InterruptedError(`interrupted after epoch ${epoch + 1}`);
    if (model.stopTraining) {
      progress.line(`training stopped by a callback after epoch ${epoch + 1}`);
      break;
    }
  }
  for (const c of callbacks) await c.onTrainEnd?.(lastLogs);
  return history;
}
