/** The arguments of fit(), checked once where fit starts. */
import * as tf from '@tensorflow/tfjs';
import type { Callback, CustomCallbackArgs } from './callbacks/callback';
import type { Verbose } from './callbacks/make_callbacks';
import type { ClassWeight } from './class_weight';
import { isBatchIterable, isIndexedData, type BatchIterable, type IndexedData, type Shuffle } from './data_adapter';

export interface FitArgs {
  batchSize?: number;
  epochs?: number;
  verbose?: Verbose;
  callbacks?: (Callback | CustomCallbackArgs)[] | Callback | CustomCallbackArgs;
  /** Fraction of the (in-memory) data held out for validation: the last samples, before shuffling. */
  validationSplit?: number;
  /** [x, y], [x, y, sampleWeight], IndexedData or an iterable of batches. Overrides validationSplit. */
  validationData?: [unknown, unknown] | [unknown, unknown, unknown] | IndexedData | BatchIterable;
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

export function checkFitArgs(args: FitArgs): void {
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

/** Splits `fit(dataset, args)` from `fit(dataset, undefined, args)` and `fit(x, y, args)`. */
export function splitFitArguments(x: unknown, y: unknown, args: FitArgs): { y: unknown; args: FitArgs } {
  const selfContained = isBatchIterable(x) || isIndexedData(x);
  const isArgs = y !== null && typeof y === 'object' && !Array.isArray(y) && !(y instanceof tf.Tensor) && Object.keys(y).every((k) => FIT_KEYS.includes(k));
  if (selfContained && isArgs && Object.keys(args).length === 0) return { y: undefined, args: y as FitArgs };
  return { y, args };
}
