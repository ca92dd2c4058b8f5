/**
 * The string data preprocessing layers read: a tensor of strings, (nested) arrays of strings, or, for
 * `adapt`, an iterable of such batches. Each batch comes out flat with its shape.
 */
import * as tf from '@tensorflow/tfjs';

export interface StringBatch {
  values: string[];
  shape: number[];
}

function describe(x: unknown): string {
  if (x instanceof tf.Tensor) return `a ${x.dtype} tensor`;
  if (Array.isArray(x)) return 'an array';
  return x === null ? 'null' : typeof x;
}

/** Nested arrays of strings, rectangular, flattened; undefined when `x` is not one. */
function flattenStrings(x: unknown[], owner: string): StringBatch {
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'string') throw new Error(`${owner}: expected strings, found ${describe(node)} among them.`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw new Error(`${owner}: the nested arrays of strings must be rectangular (every row as long as the first).`);
    node.forEach((child) => walk(child, depth + 1));
  };
  walk(x, 0);
  return { values, shape };
}

/** One batch of strings from a string tensor or nested arrays of strings. */
export function stringBatch(x: unknown, owner: string): StringBatch {
  if (x instanceof tf.Tensor) {
    if (x.dtype !== 'string') throw new Error(`${owner}: expected strings, got ${describe(x)}.`);
    return { values: x.dataSync() as unknown as string[], shape: [...x.shape] };
  }
  if (typeof x === 'string') return { values: [x], shape: [] };
  if (Array.isArray(x)) return flattenStrings(x, owner);
  throw new Error(`${owner}: expected strings (an array or a string tensor), got ${describe(x)}.`);
}

/** Rows of a batch: its last axis (a rank-1 batch: one value per row, as Keras expands it). */
export function rowsOf(batch: StringBatch): string[][] {
  const width = batch.shape.length <= 1 ? 1 : batch.shape[batch.shape.length - 1];
  const rows: string[][] = [];
  for (let i = 0; i < batch.values.length; i += width) rows.push(batch.values.slice(i, i + width));
  return rows;
}

/** A list of lists of strings of any lengths (documents of tokens, Keras's ragged data). */
function isRagged(x: unknown): x is string[][] {
  return Array.isArray(x) && x.length > 0 && x.every((row) => Array.isArray(row) && row.every((t) => typeof t === 'string'));
}

function batchRows(batch: unknown, owner: string): string[][] {
  return isRagged(batch) ? batch : rowsOf(stringBatch(batch, owner));
}

/**
 * The rows (documents) of `adapt`'s data, batch by batch: one batch for an array or tensor, else each
 * element of an iterable (a generator of batches, say), at most `steps` of them. A row is the last
 * axis of a batch (a flat list: one string per row); lists of token lists may be ragged.
 */
export function* adaptRows(data: unknown, owner: string, steps?: number): Generator<string[][]> {
  if (data instanceof tf.Tensor || Array.isArray(data) || typeof data === 'string') {
    yield batchRows(data, owner);
    return;
  }
  if (data === null || typeof data !== 'object' || typeof (data as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new Error(`${owner}: adapt expects strings (an array, a string tensor, or an iterable of batches), got ${describe(data)}.`);
  }
  let count = 0;
  for (const batch of data as Iterable<unknown>) {
    if (steps !== undefined && count >= steps) return;
    yield batchRows(batch, owner);
    count += 1;
  }
}
