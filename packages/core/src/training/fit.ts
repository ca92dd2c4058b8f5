/**
 * fit(): Keras's training loop. Per epoch: reset the metrics, run the training batches (callbacks
 * around each), reset the states of a stateful model, evaluate on the validation data, and hand the
 * epoch's logs ('loss', metrics, 'val_' + each) to the callbacks, History last.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelLike } from './model_like';
import { getCompiled, isCompiled, peekCompiled } from './compile_args';
import type { Callback, CustomCallbackArgs } from './callbacks/callback';
import { makeCallbackList, resolveVerbose, type Verbose } from './callbacks/make_callbacks';
import { History } from './history';
import { warn, type Logs } from './logs';
import { parseClassWeight, type ClassWeight } from './class_weight';
import { ArrayData, arraySource, disposeBatch, isBatchIterable, iterableSource, type BatchIterable, type BatchSource, type Shuffle } from './data_adapter';
import { trainStep } from './steps';
import { runEvaluation } from './evaluate';

export interface FitArgs {
  batchSize?: number;
  epochs?: number;
  verbose?: Verbose;
  callbacks?: (Callback | CustomCallbackArgs)[] | Callback | CustomCallbackArgs;
  /** Fraction of the (in-memory) data held out for validation: the last samples, before shuffling. */
  validationSplit?: number;
  /** [x, y], [x, y, sampleWeight], or an iterable of batches. Overrides validationSplit. */
  validationData?: [unknown, unknown] | [unknown, unknown, unknown] | BatchIterable;
  /** true: reshuffle all samples each epoch; 'batch': shuffle within batch-sized chunks; false: keep order. */
  shuffle?: Shuffle;
  classWeight?: ClassWeight;
  sampleWeight?: unknown;
  /** Epoch at which to start (to resume a previous run); epochs is the index to stop at. */
  initialEpoch?: number;
  /** Batches per epoch; required for endless iterables. */
  stepsPerEpoch?: number;
  validationSteps?: number;
  validationBatchSize?: number;
  /** Validate every n epochs, or at the listed (1-based) epochs. */
  validationFreq?: number | number[];
}

const FIT_KEYS = [
  'batchSize',
  'epochs',
  'verbose',
  'callbacks',
  'validationSplit',
  'validationData',
  'shuffle',
  'classWeight',
  'sampleWeight',
  'initialEpoch',
  'stepsPerEpoch',
  'validationSteps',
  'validationBatchSize',
  'validationFreq',
];

function checkArgs(args: FitArgs): void {
  const unknown = Object.keys(args).filter((k) => !FIT_KEYS.includes(k));
  if (unknown.length > 0) throw new Error(`fit: unknown argument(s) ${unknown.join(', ')}; accepted: ${FIT_KEYS.join(', ')}.`);
  const positiveInt = (v: unknown, name: string) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0)) throw new Error(`fit: ${name} must be a positive integer, got ${String(v)}.`);
  };
  positiveInt(args.batchSize, 'batchSize');
  positiveInt(args.stepsPerEpoch, 'stepsPerEpoch');
  positiveInt(args.validationSteps, 'validationSteps');
  positiveInt(args.validationBatchSize, 'validationBatchSize');
  if (args.epochs !== undefined && !(Number.isInteger(args.epochs) && args.epochs >= 0)) throw new Error(`fit: epochs must be a non-negative integer, got ${String(args.epochs)}.`);
  if (args.initialEpoch !== undefined && !(Number.isInteger(args.initialEpoch) && args.initialEpoch >= 0)) {
    throw new Error(`fit: initialEpoch must be a non-negative integer, got ${String(args.initialEpoch)}.`);
  }
  if (args.validationSplit !== undefined && !(args.validationSplit >= 0 && args.validationSplit < 1)) {
    throw new Error(`fit: validationSplit must be in [0, 1), got ${String(args.validationSplit)}.`);
  }
  if (args.shuffle !== undefined && args.shuffle !== true && args.shuffle !== false && args.shuffle !== 'batch') {
    throw new Error(`fit: shuffle must be true, false or 'batch', got ${String(args.shuffle)}.`);
  }
  if (args.verbose !== undefined && ![0, 1, 2, 'auto'].includes(args.verbose)) throw new Error(`fit: verbose must be 0, 1, 2 or 'auto', got ${String(args.verbose)}.`);
}

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

/** Splits `fit(dataset, args)` from `fit(dataset, undefined, args)` and `fit(x, y, args)`. */
function isFitArgsObject(y: unknown): boolean {
  return y !== null && typeof y === 'object' && !Array.isArray(y) && !(y instanceof tf.Tensor) && Object.keys(y).every((k) => FIT_KEYS.includes(k));
}

/** Trains `model`. x and y: tensors, nested arrays, lists or objects by name; or x an iterable of batches and y omitted. */
export async function fitModel(model: ModelLike, x: unknown, y?: unknown, args: FitArgs = {}): Promise<History> {
  if (isBatchIterable(x) && y !== undefined && y !== null && isFitArgsObject(y) && Object.keys(args).length === 0) {
    args = y as FitArgs;
    y = undefined;
  }
  checkArgs(args);
  if (!isCompiled(model)) getCompiled(model, 'fit');
  const epochs = args.epochs ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
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
    let train: BatchSource;
    let validation: BatchSource | null = null;
    const steps = args.stepsPerEpoch ?? null;
    if (isBatchIterable(x)) {
      if (y !== undefined && y !== null) throw new Error('fit: y must be omitted when x is an iterable of batches (each batch carries its targets).');
      if (args.validationSplit) throw new Error('fit: validationSplit needs in-memory data (tensors or arrays); pass validationData for an iterable.');
      if (args.batchSize !== undefined) throw new Error('fit: batchSize cannot be set for an iterable of batches (the iterable decides the batch size).');
      if (args.sampleWeight !== undefined) throw new Error('fit: sampleWeight cannot be set for an iterable; yield {xs, ys, sampleWeight} batches instead.');
      train = iterableSource(model, x, steps, 'fit: x');
    } else {
      const batchSize = args.batchSize ?? 32;
      let data = ArrayData.from(model, x, y, args.sampleWeight, 'fit', owned);
      if (args.validationSplit && args.validationData === undefined) {
        const splitAt = Math.floor(data.numSamples * (1 - args.validationSplit));
        if (splitAt === 0 || splitAt === data.numSamples) {
          throw new Error(
            `fit: ${data.numSamples} samples cannot be split into training and validation sets with validationSplit=${args.validationSplit}; provide more data or a different validationSplit.`,
          );
        }
        const [trainPart, valPart] = data.split(splitAt, owned);
        data = trainPart;
        validation = arraySource(valPart, args.validationBatchSize ?? batchSize, false, args.validationSteps ?? null);
      }
      if (model.stateful && data.numSamples % batchSize !== 0) {
        throw new Error(`fit: a stateful model needs a number of samples divisible by the batch size; got ${data.numSamples} samples and batchSize ${batchSize}.`);
      }
      train = arraySource(data, batchSize, shuffle, steps);
    }
    if (args.validationData !== undefined && args.validationData !== null) {
      validation = validationSource(model, args.validationData, args.validationBatchSize ?? args.batchSize ?? 32, args.validationSteps ?? null, owned);
    }

    const history = new History();
    const callbacks = makeCallbackList(args.callbacks, verbose, history, 'fit');
    callbacks.setModel(model);
    let knownSteps = train.stepsPerEpoch;
    callbacks.setParams({ epochs, steps: knownSteps, verbose });
    model.stopTraining = false;
    const wantsGradients = callbacks.wantsGradients;
    let trainLogs: Logs = {};
    await callbacks.onTrainBegin({});
    try {
      for (let epoch = initialEpoch; epoch < epochs; epoch++) {
        peekCompiled(model)?.resetMetrics();
        await callbacks.onEpochBegin(epoch, {});
        let step = 0;
        for await (const batch of train.epoch()) {
          let info;
          try {
            await callbacks.onTrainBatchBegin(step, { batch: step, size: batch.size });
            info = trainStep(model, batch, { classWeight, gradientNorms: wantsGradients });
          } finally {
            disposeBatch(batch);
          }
          if (info) await callbacks.onTrainBatchGradients(step, info);
          await callbacks.onTrainBatchEnd(step, getCompiled(model, 'fit').results());
          await yieldToEventLoop();
          step++;
          if (model.stopTraining) break;
        }
        if (step === 0) {
          warn(`fit: the training data ran out of batches at epoch ${epoch + 1}; training stops. An iterable must yield at least stepsPerEpoch * epochs batches, or be re-iterable.`);
          break;
        }
        if (knownSteps === null) {
          knownSteps = step;
          callbacks.setParams({ epochs, steps: knownSteps, verbose });
        }
        const logs: Logs = getCompiled(model, 'fit').results();
        if (model.stateful) model.resetStates();
        if (validation && shouldValidate(epoch, args.validationFreq)) {
          const valLogs = await runEvaluation(model, validation, callbacks);
          for (const [k, v] of Object.entries(valLogs)) logs[`val_${k}`] = v;
          if (model.stateful) model.resetStates();
        }
        await callbacks.onEpochEnd(epoch, logs);
        await yieldToEventLoop(true);
        trainLogs = logs;
        if (model.stopTraining) break;
      }
    } catch (e) {
      callbacks.onTrainAborted();
      throw e;
    }
    await callbacks.onTrainEnd(trainLogs);
    return history;
  } finally {
    tf.dispose(owned);
  }
}

function validationSource(model: ModelLike, data: FitArgs['validationData'], batchSize: number, steps: number | null, owned: tf.Tensor[]): BatchSource {
  if (isBatchIterable(data)) return iterableSource(model, data, steps, 'fit: validationData');
  if (!Array.isArray(data) || (data.length !== 2 && data.length !== 3)) {
    throw new Error('fit: validationData must be [x, y], [x, y, sampleWeight] or an iterable of batches.');
  }
  const [vx, vy, vsw] = data as unknown[];
  return arraySource(ArrayData.from(model, vx, vy, vsw, 'fit: validationData', owned), batchSize, false, steps);
}
