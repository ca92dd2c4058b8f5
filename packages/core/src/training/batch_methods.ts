/** trainOnBatch, testOnBatch and predictOnBatch: one batch, synchronously, no callbacks (Keras semantics). */
import * as tf from '@tensorflow/tfjs';
import type { ModelLike } from './model_like';
import { getCompiled, isCompiled } from './compile_args';
import { ArrayData, type Batch } from './data_adapter';
import { parseClassWeight, type ClassWeight } from './class_weight';
import { trainStep, testStep } from './steps';
import { flattenLogs } from './evaluate';
import type { Logs } from './logs';
import { inputNamesOf, toTensorList } from './structure';
import { ownedOutputs } from '../models/predict';

export interface OnBatchOptions {
  sampleWeight?: unknown;
  /** trainOnBatch only. */
  classWeight?: ClassWeight;
  /** Reset the metrics first, so the result covers this batch only (default true). */
  resetMetrics?: boolean;
  returnDict?: boolean;
}

function runOnBatch(model: ModelLike, x: unknown, y: unknown, opts: OnBatchOptions, caller: string, train: boolean): number | number[] | Logs {
  if (!isCompiled(model)) getCompiled(model, caller);
  const owned: tf.Tensor[] = [];
  try {
    const data = ArrayData.from(model, x, y, opts.sampleWeight, caller, owned);
    model.prepareForData?.(data.xs);
    const compiled = getCompiled(model, caller);
    const batch: Batch = { xs: data.xs, ys: data.ys, sampleWeights: data.sampleWeights, size: data.numSamples, owned: [] };
    if (opts.resetMetrics ?? true) compiled.resetMetrics();
    if (train) {
      if (opts.classWeight && opts.sampleWeight !== undefined) throw new Error(`${caller}: classWeight and sampleWeight cannot be used together.`);
      const classWeight = opts.classWeight ? parseClassWeight(opts.classWeight, caller) : null;
      trainStep(model, batch, { classWeight });
    } else {
      if (opts.classWeight) throw new Error(`${caller}: classWeight applies to training only.`);
      testStep(model, batch);
    }
    const logs = compiled.results();
    return opts.returnDict ? logs : flattenLogs(logs);
  } finally {
    tf.dispose(owned);
  }
}

export function trainOnBatch(model: ModelLike, x: unknown, y: unknown, opts: OnBatchOptions = {}): number | number[] | Logs {
  return runOnBatch(model, x, y, opts, 'trainOnBatch', true);
}

export function testOnBatch(model: ModelLike, x: unknown, y: unknown, opts: OnBatchOptions = {}): number | number[] | Logs {
  return runOnBatch(model, x, y, opts, 'testOnBatch', false);
}

/** The model's outputs for one batch in inference mode (a tensor, or a list for several outputs); the caller disposes them. */
export function predictOnBatch(model: ModelLike, x: unknown): tf.Tensor | tf.Tensor[] {
  const owned: tf.Tensor[] = [];
  try {
    const xs = toTensorList(x, inputNamesOf(model), 'predictOnBatch: x', 'inputs', owned) as tf.Tensor[];
    // New tensors the caller owns, even from an identity model (they outlive the converted inputs too).
    const outputs = model.predictOutputs ? model.predictOutputs(xs) : tf.tidy(() => ownedOutputs(model.callWithMasks(xs, { training: false }).outputs));
    return outputs.length === 1 ? outputs[0] : outputs;
  } finally {
    tf.dispose(owned);
  }
}
