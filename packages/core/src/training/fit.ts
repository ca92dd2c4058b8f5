/**
 * fit(): Keras's training loop. Per epoch: reset the metrics, run the training batches (callbacks
 * around each), reset the states of a stateful model, evaluate on the validation data, and hand the
 * epoch's logs ('loss', metrics, 'val_' + each) to the callbacks, History last. Callbacks see the run
 * (training_run.ts): a BackupAndRestore callback moves its start to a saved position, down to the
 * batch, and acts after each hook has reached every callback.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelLike } from './model_like';
import { getCompiled, isCompiled, optimizerOf, peekCompiled } from './compile_args';
import { targetDomainProblem } from './losses/target_domain';
import { checkMemory } from '../models/memory_estimate';
import { makeCallbackList, resolveVerbose } from './callbacks/make_callbacks';
import type { CallbackList } from './callbacks/callback';
import { History } from './history';
import { warn, type Logs } from './logs';
import { parseClassWeight } from './class_weight';
import { ArrayData, disposeBatch, isBatchIterable, isIndexedData, iterableSource, type BatchSource, type Shuffle } from './data_adapter';
import { indexedRows, sampleSource } from './sample_passes';
import { trainStep } from './steps';
import { runEvaluation } from './evaluate';
import { checkFitArgs, splitFitArguments, type FitArgs } from './fit_args';
import { TrainingRun } from './training_run';

export type { FitArgs } from './fit_args';

/**
 * Lets the event loop run (timers, signal handlers that set model.stopTraining, piped output) at least
 * every YIELD_INTERVAL_MS: a training step is synchronous, and awaiting only resolved promises between
 * steps would otherwise keep everything else waiting until fit returns.
 */
const YIELD_INTERVAL_MS = 100;
let lastYield = 0;
async function yieldToEventLoop(force = false): Promise<void> {
  const now = Date.now();
  if (!force && now - lastYield < YIELD_INTERVAL_MS) return;
  lastYield = now;
  await new Promise<void>((resolve) => setImmediate(resolve));
}

function shouldValidate(epoch: number, freq: number | number[] | undefined): boolean {
  if (freq === undefined) return true;
  if (Array.isArray(freq)) return freq.includes(epoch + 1);
  return (epoch + 1) % freq === 0;
}

interface Sources {
  train: BatchSource;
  validation: BatchSource | null;
}

/** The training and validation batches of fit's data arguments; tensors made here go to `owned`. */
function fitSources(model: ModelLike, x: unknown, y: unknown, args: FitArgs, shuffle: Shuffle, owned: tf.Tensor[]): Sources {
  const steps = args.stepsPerEpoch ?? null;
  const batchSize = args.batchSize ?? 32;
  let train: BatchSource;
  let validation: BatchSource | null = null;
  if (isBatchIterable(x) || isIndexedData(x)) {
    const kind = isIndexedData(x) ? 'IndexedData' : 'an iterable of batches';
    if (y !== undefined && y !== null) throw new Error(`fit: y must be omitted when x is ${kind} (each batch carries its targets).`);
    if (args.validationSplit) throw new Error(`fit: validationSplit needs in-memory data (tensors or arrays); pass validationData for ${kind}.`);
    if (args.sampleWeight !== undefined) throw new Error(`fit: sampleWeight cannot be set for ${kind}; give each batch its sampleWeight instead.`);
    if (isIndexedData(x)) {
      const rows = indexedRows(model, x, 'fit: x');
      checkStatefulBatching(model, rows.numSamples, batchSize);
      train = sampleSource(rows, batchSize, shuffle, steps);
    } else {
      if (args.batchSize !== undefined) throw new Error('fit: batchSize cannot be set for an iterable of batches (the iterable decides the batch size).');
      train = iterableSource(model, x, steps, 'fit: x');
    }
  } else {
    let data = ArrayData.from(model, x, y, args.sampleWeight, 'fit', owned);
    checkTargetDomains(model, data.ys);
    if (args.validationSplit && args.validationData === undefined) {
      const splitAt = Math.floor(data.numSamples * (1 - args.validationSplit));
      if (splitAt === 0 || splitAt === data.numSamples) {
        throw new Error(
          `fit: ${data.numSamples} samples cannot be split into training and validation sets with validationSplit=${args.validationSplit}; provide more data or a different validationSplit.`,
        );
      }
      const [trainPart, valPart] = data.split(splitAt, owned);
      data = trainPart;
      validation = sampleSource(valPart, args.validationBatchSize ?? batchSize, false, args.validationSteps ?? null);
    }
    checkStatefulBatching(model, data.numSamples, batchSize);
    train = sampleSource(data, batchSize, shuffle, steps);
  }
  if (args.validationData !== undefined && args.validationData !== null) {
    validation = validationSource(model, args.validationData, args.validationBatchSize ?? args.batchSize ?? 32, args.validationSteps ?? null, owned);
  }
  return { train, validation };
}

/** Refuses targets a cross-entropy loss cannot learn from (see target_domain.ts), before training on them. */
function checkTargetDomains(model: ModelLike, ys: readonly (tf.Tensor | null)[]): void {
  const compiled = peekCompiled(model);
  if (compiled === null) return;
  ys.forEach((y, i) => {
    const loss = compiled.losses[i];
    if (y === null || loss === null || loss === undefined) return;
    const problem = targetDomainProblem(loss, y.dataSync() as ArrayLike<number>);
    if (problem !== null) throw new Error(`fit: y${ys.length > 1 ? ` ('${model.outputNames[i]}')` : ''}: ${problem}.`);
  });
}

/** Refuses, before the first step allocates anything, a training run estimated beyond the memory limit. */
function checkTrainingMemory(model: ModelLike, batchSize: number): void {
  const optimizer = optimizerOf(model);
  if (!model.memoryEstimate || !optimizer) return;
  const estimate = model.memoryEstimate({ training: { batchSize, slotsPerWeight: optimizer.slotsPerWeight(), optimizerName: optimizer.className } });
  checkMemory(estimate, `fit: the model '${model.name}'`);
}

function checkStatefulBatching(model: ModelLike, numSamples: number, batchSize: number): void {
  if (model.stateful && numSamples % batchSize !== 0) {
    throw new Error(`fit: a stateful model needs a number of samples divisible by the batch size; got ${numSamples} samples and batchSize ${batchSize}.`);
  }
}

function validationSource(model: ModelLike, data: FitArgs['validationData'], batchSize: number, steps: number | null, owned: tf.Tensor[]): BatchSource {
  if (isIndexedData(data)) return sampleSource(indexedRows(model, data, 'fit: validationData'), batchSize, false, steps);
  if (isBatchIterable(data)) return iterableSource(model, data, steps, 'fit: validationData');
  if (!Array.isArray(data) || (data.length !== 2 && data.length !== 3)) {
    throw new Error('fit: validationData must be [x, y], [x, y, sampleWeight], IndexedData or an iterable of batches.');
  }
  const [vx, vy, vsw] = data as unknown[];
  return sampleSource(ArrayData.from(model, vx, vy, vsw, 'fit: validationData', owned), batchSize, false, steps);
}

/** Trains `model`. x and y: tensors, nested arrays, lists or objects by name; or x IndexedData or an iterable of batches and y omitted. */
export async function fitModel(model: ModelLike, x: unknown, yArg?: unknown, argsArg: FitArgs = {}): Promise<History> {
  const { y, args } = splitFitArguments(x, yArg, argsArg);
  checkFitArgs(args);
  if (!isCompiled(model)) getCompiled(model, 'fit');
  const epochs = args.epochs ?? 1;
  const verbose = resolveVerbose(args.verbose);
  let shuffle: Shuffle = args.shuffle ?? true;
  if (model.stateful && shuffle !== false) {
    if (args.shuffle !== undefined) warn('fit: the model is stateful, so samples are not shuffled (states carry from one batch to the next).');
    shuffle = false;
  }
  const classWeight = args.classWeight ? parseClassWeight(args.classWeight, 'fit') : null;
  if (classWeight && model.outputNames.length > 1) throw new Error('fit: classWeight is only supported for models with a single output; use sampleWeight per output instead.');
  if (classWeight && args.sampleWeight !== undefined) throw new Error('fit: classWeight and sampleWeight cannot be used together; fold the class weights into sampleWeight.');

  const owned: tf.Tensor[] = [];
  try {
    const { train, validation } = fitSources(model, x, y, args, shuffle, owned);
    checkTrainingMemory(model, args.batchSize ?? 32);
    const history = new History();
    const callbacks = makeCallbackList(args.callbacks, verbose, history, 'fit');
    const run = new TrainingRun(model, train, callbacks.callbacks, epochs, args.initialEpoch ?? 0);
    callbacks.setModel(model);
    callbacks.setRun(run);
    let knownSteps = train.stepsPerEpoch;
    callbacks.setParams({ epochs, steps: knownSteps, verbose });
    model.stopTraining = false;
    let trainLogs: Logs = {};
    try {
      await hookRound(run, () => callbacks.onTrainBegin({}));
      for (let epoch = run.epoch; epoch < epochs; epoch++) {
        run.beginEpoch(epoch);
        await callbacks.onEpochBegin(epoch, {});
        const trained = await trainEpoch(model, train, run, callbacks, classWeight);
        if (trained === 0) {
          warn(`fit: the training data ran out of batches at epoch ${epoch + 1}; training stops. An iterable must yield at least stepsPerEpoch * epochs batches, or be re-iterable.`);
          break;
        }
        if (knownSteps === null) {
          knownSteps = trained;
          callbacks.setParams({ epochs, steps: knownSteps, verbose });
        }
        const logs: Logs = getCompiled(model, 'fit').results();
        if (model.stateful) model.resetStates();
        if (validation && shouldValidate(epoch, args.validationFreq)) {
          const valLogs = await runEvaluation(model, validation, callbacks);
          for (const [k, v] of Object.entries(valLogs)) logs[`val_${k}`] = v;
          if (model.stateful) model.resetStates();
        }
        run.epoch = epoch + 1;
        run.batch = 0;
        await hookRound(run, () => callbacks.onEpochEnd(epoch, logs));
        await yieldToEventLoop(true);
        trainLogs = logs;
        if (model.stopTraining) break;
      }
    } catch (e) {
      callbacks.onTrainAborted();
      callbacks.setRun(null);
      throw e;
    }
    await callbacks.onTrainEnd(trainLogs);
    callbacks.setRun(null);
    return history;
  } finally {
    tf.dispose(owned);
  }
}

/** Runs one hook on every callback, then what callbacks deferred until all of them had it. */
async function hookRound(run: TrainingRun, hook: () => Promise<void>): Promise<void> {
  await hook();
  await run.runPending();
}

/** The batches of one epoch (the rest of it, when resumed); returns the epoch's batch count so far. */
async function trainEpoch(model: ModelLike, train: BatchSource, run: TrainingRun, callbacks: CallbackList, classWeight: readonly [number, number][] | null): Promise<number> {
  let step = run.batch;
  for await (const batch of train.epoch(step)) {
    let info;
    try {
      await callbacks.onTrainBatchBegin(step, { batch: step, size: batch.size });
      info = trainStep(model, batch, { classWeight, gradientNorms: callbacks.wantsGradients });
    } finally {
      disposeBatch(batch);
    }
    if (info) await callbacks.onTrainBatchGradients(step, info);
    run.batch = step + 1;
    const logs = getCompiled(model, 'fit').results();
    await hookRound(run, () => callbacks.onTrainBatchEnd(step, logs));
    await yieldToEventLoop();
    step++;
    if (model.stopTraining) break;
  }
  return step;
}
