/** evaluate(): the loss and metrics of a model on data, in inference mode (Keras's Model.evaluate). */
import * as tf from '@tensorflow/tfjs';
import type { ModelLike } from './model_like';
import { getCompiled, isCompiled, peekCompiled } from './compile_args';
import type { CallbackList, CustomCallbackArgs, Callback } from './callbacks/callback';
import type { Logs } from './logs';
import { ArrayData, disposeBatch, isBatchIterable, isIndexedData, iterableSource, type BatchSource } from './data_adapter';
import { indexedRows, sampleSource } from './sample_passes';
import { testStep } from './steps';
import { makeCallbackList, resolveVerbose, type Verbose } from './callbacks/make_callbacks';

export interface EvaluateArgs {
  batchSize?: number;
  verbose?: Verbose;
  sampleWeight?: unknown;
  /** Batches to evaluate (required for endless iterables). */
  steps?: number;
  callbacks?: (Callback | CustomCallbackArgs)[] | Callback | CustomCallbackArgs;
  /** Return {loss, metric: value} instead of a number or a list. */
  returnDict?: boolean;
}

const EVALUATE_KEYS = ['batchSize', 'verbose', 'sampleWeight', 'steps', 'callbacks', 'returnDict'];

/** Runs the test steps over `source` and returns the results (metrics are reset first). */
export async function runEvaluation(model: ModelLike, source: BatchSource, callbacks: CallbackList | null): Promise<Logs> {
  peekCompiled(model)?.resetMetrics();
  await callbacks?.onTestBegin({});
  let step = 0;
  for await (const batch of source.epoch()) {
    try {
      await callbacks?.onTestBatchBegin(step, { batch: step, size: batch.size });
      testStep(model, batch);
    } finally {
      disposeBatch(batch);
    }
    await callbacks?.onTestBatchEnd(step, getCompiled(model, 'evaluate').results());
    step++;
  }
  if (step === 0) throw new Error('evaluate: the data gave no batches.');
  const logs = getCompiled(model, 'evaluate').results();
  await callbacks?.onTestEnd(logs);
  return logs;
}

/** Keras's return value: the loss alone when there are no metrics, else [loss, ...others] in log order. */
export function flattenLogs(logs: Logs): number | number[] {
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}

export async function evaluateModel(model: ModelLike, x: unknown, y?: unknown, args: EvaluateArgs = {}): Promise<number | number[] | Logs> {
  if ((isBatchIterable(x) || isIndexedData(x)) && y !== null && typeof y === 'object' && !Array.isArray(y) && !(y instanceof tf.Tensor) && Object.keys(args).length === 0 && Object.keys(y).every((k) => EVALUATE_KEYS.includes(k))) {
    args = y as EvaluateArgs;
    y = undefined;
  }
  const unknown = Object.keys(args).filter((k) => !EVALUATE_KEYS.includes(k));
  if (unknown.length > 0) throw new Error(`evaluate: unknown argument(s) ${unknown.join(', ')}; accepted: ${EVALUATE_KEYS.join(', ')}.`);
  if (args.batchSize !== undefined && !(Number.isInteger(args.batchSize) && args.batchSize > 0)) throw new Error(`evaluate: batchSize must be a positive integer, got ${args.batchSize}.`);
  if (args.steps !== undefined && !(Number.isInteger(args.steps) && args.steps > 0)) throw new Error(`evaluate: steps must be a positive integer, got ${args.steps}.`);
  if (!isCompiled(model)) getCompiled(model, 'evaluate');
  const verbose = resolveVerbose(args.verbose);
  const owned: tf.Tensor[] = [];
  try {
    let source: BatchSource;
    if (isBatchIterable(x) || isIndexedData(x)) {
      if (y !== undefined && y !== null) throw new Error('evaluate: y must be omitted when x is IndexedData or an iterable of batches.');
      if (args.sampleWeight !== undefined) throw new Error('evaluate: sampleWeight cannot be set for IndexedData or an iterable; give each batch its sampleWeight instead.');
      source = isIndexedData(x) ? sampleSource(indexedRows(model, x, 'evaluate: x'), args.batchSize ?? 32, false, args.steps ?? null) : iterableSource(model, x, args.steps ?? null, 'evaluate: x');
    } else {
      const data = ArrayData.from(model, x, y, args.sampleWeight, 'evaluate', owned);
      source = sampleSource(data, args.batchSize ?? 32, false, args.steps ?? null);
    }
    const callbacks = makeCallbackList(args.callbacks, verbose, null, 'evaluate');
    callbacks.setModel(model);
    callbacks.setParams({ epochs: 1, steps: source.stepsPerEpoch, verbose });
    const logs = await runEvaluation(model, source, callbacks);
    return args.returnDict ? logs : flattenLogs(logs);
  } finally {
    tf.dispose(owned);
  }
}
