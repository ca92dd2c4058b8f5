/**
 * Normalising user data into one tensor per model input or output: a tensor, nested number arrays, a
 * list (one entry per input/output) or an object keyed by input/output name.
 */
import * as tf from '@tensorflow/tfjs';
import { ownValue } from '../config/own_keys';

export type ArrayLikeData = tf.Tensor | number[] | number[][] | number[][][] | number[][][][];
export type DataStructure = ArrayLikeData | ArrayLikeData[] | Record<string, ArrayLikeData | null>;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof tf.Tensor) && !ArrayBuffer.isView(x);
}

/**
 * Input and output names for matching data: a model not built yet (a Sequential without an input
 * shape) has none, and takes one input and gives one output.
 */
export function inputNamesOf(model: { inputNames: readonly string[] }): readonly string[] {
  return model.inputNames.length > 0 ? model.inputNames : ['input'];
}
export function outputNamesOf(model: { outputNames: readonly string[] }): readonly string[] {
  return model.outputNames.length > 0 ? model.outputNames : ['output'];
}

/** One tensor from a tensor or nested numbers; created tensors are pushed to `owned`. */
export function toTensor(value: unknown, what: string, owned: tf.Tensor[]): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new Error(`${what}: the tensor was already disposed.`);
    return value;
  }
  if (ArrayBuffer.isView(value)) {
    throw new Error(`${what}: a typed array has no shape; pass tf.tensor(data, shape) or nested arrays instead.`);
  }
  if (Array.isArray(value)) {
    let t: tf.Tensor;
    try {
      t = tf.tensor(value as number[]);
    } catch (e) {
      throw new Error(`${what}: could not make a tensor from the nested arrays (${(e as Error).message}). Rows must all have the same length.`);
    }
    owned.push(t);
    return t;
  }
  throw new Error(`${what}: expected a tensor or nested arrays of numbers, got ${value === null ? 'null' : typeof value}.`);
}

/** True when `x` is a list with one entry per name (rather than nested numbers of one tensor). */
function isPerNameList(x: unknown[], names: readonly string[]): boolean {
  if (x.length > 0 && x.every((e) => e instanceof tf.Tensor)) return true;
  return names.length > 1 && x.length === names.length && x.every((e) => e === null || e instanceof tf.Tensor || Array.isArray(e));
}

/**
 * One entry per name. `allowMissing` lets entries be null (outputs without a loss, absent weights).
 * `kind` is 'inputs' or 'outputs', for messages.
 */
export function toTensorList(
  data: unknown,
  names: readonly string[],
  what: string,
  kind: 'inputs' | 'outputs',
  owned: tf.Tensor[],
  allowMissing = false,
): (tf.Tensor | null)[] {
  const described = `${names.length} ${kind} (${names.join(', ')})`;
  let entries: unknown[];
  if (isPlainObject(data)) {
    const unknown = Object.keys(data).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new Error(`${what}: unknown ${kind} name(s) ${unknown.join(', ')}; the model has ${described}.`);
    entries = names.map((n) => ownValue(data, n) ?? null);
  } else if (Array.isArray(data) && isPerNameList(data, names)) {
    entries = data;
  } else {
    entries = [data];
  }
  if (entries.length !== names.length) {
    throw new Error(`${what}: got ${entries.length} array(s) but the model has ${described}; pass a list with one entry per ${kind === 'inputs' ? 'input' : 'output'} or an object keyed by name.`);
  }
  return entries.map((e, i) => {
    if (e === null || e === undefined) {
      if (allowMissing) return null;
      throw new Error(`${what}: missing data for ${kind === 'inputs' ? 'input' : 'output'} '${names[i]}'.`);
    }
    return toTensor(e, names.length > 1 ? `${what} ('${names[i]}')` : what, owned);
  });
}

/** Sample weights: one tensor for every output, or one entry per output (list or object). */
export function toSampleWeightList(data: unknown, outputNames: readonly string[], what: string, owned: tf.Tensor[]): (tf.Tensor | null)[] {
  if (data === null || data === undefined) return outputNames.map(() => null);
  if (data instanceof tf.Tensor || (Array.isArray(data) && !isPerNameList(data, outputNames))) {
    const t = toTensor(data, what, owned);
    return outputNames.map(() => t);
  }
  return toTensorList(data, outputNames, what, 'outputs', owned, true);
}

/** The common number of samples (first dimension) of all tensors. */
export function countSamples(groups: { what: string; tensors: (tf.Tensor | null)[] }[]): number {
  let n: number | null = null;
  let first = '';
  for (const { what, tensors } of groups) {
    for (const t of tensors) {
      if (t === null) continue;
      if (t.rank === 0) throw new Error(`${what}: expected a batch of samples (rank >= 1), got a scalar.`);
      if (n === null) {
        n = t.shape[0];
        first = what;
      } else if (t.shape[0] !== n) {
        // "fit: y" and "fit: x" share their caller: name it once ("fit: y has 60 samples but x has 64").
        const caller = /^(.*): /.exec(what)?.[1];
        const other = caller !== undefined && first.startsWith(`${caller}: `) ? first.slice(caller.length + 2) : first;
        throw new Error(`${what} has ${t.shape[0]} samples but ${other} has ${n}; all arrays must have the same number of samples.`);
      }
    }
  }
  if (n === null) throw new Error('No data: the inputs are empty.');
  return n;
}
