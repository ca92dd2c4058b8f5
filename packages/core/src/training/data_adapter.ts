/**
 * Data -> batches. In-memory data (tensors or nested arrays) is sliced into batches, shuffled each
 * epoch with a seeded generator (engine/random.ts) when asked; `validationSplit` takes the last
 * fraction of the samples before any shuffling, as Keras. Iterables (sync or async, generators,
 * functions returning an iterator, tfjs Datasets) yield ready-made batches, for data larger than
 * memory. Tensors yielded by an iterable are consumed: they are disposed after their step, as tfjs's
 * fitDataset does, so a generator can create fresh tensors per batch without leaking.
 */
import * as tf from '@tensorflow/tfjs';
import { makeRandom, nextSeed } from '../engine/random';
import type { ModelLike } from './model_like';
import { countSamples, inputNamesOf, outputNamesOf, toSampleWeightList, toTensorList } from './structure';

export type Shuffle = boolean | 'batch';

/** One batch, with the tensors the engine must dispose after using it. */
export interface Batch {
  xs: tf.Tensor[];
  ys: (tf.Tensor | null)[];
  sampleWeights: (tf.Tensor | null)[];
  size: number;
  owned: tf.Tensor[];
}

export function disposeBatch(batch: Batch): void {
  tf.dispose(batch.owned);
  batch.owned = [];
}

/** An element yielded by a batch iterable. */
export type BatchElement =
  | { xs: unknown; ys?: unknown; sampleWeight?: unknown }
  | [unknown, unknown]
  | [unknown, unknown, unknown];

type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;
export type BatchIterable =
  | Iterable<BatchElement>
  | AsyncIterable<BatchElement>
  | (() => AnyIterator<BatchElement> | Iterable<BatchElement> | AsyncIterable<BatchElement>)
  | { iterator(): Promise<AnyIterator<BatchElement>> };

/** True for the iterable forms (not arrays or tensors, which are in-memory data). */
export function isBatchIterable(x: unknown): x is BatchIterable {
  if (x === null || x === undefined || Array.isArray(x) || x instanceof tf.Tensor || ArrayBuffer.isView(x)) return false;
  if (typeof x === 'function') return true;
  if (typeof x !== 'object') return false;
  const o = x as Record<string | symbol, unknown>;
  return typeof o[Symbol.asyncIterator] === 'function' || typeof o[Symbol.iterator] === 'function' || typeof o.iterator === 'function';
}

/** In-memory inputs, targets and sample weights, all with the same number of samples. */
export class ArrayData {
  /** Host copies of the data, read once, for gathering shuffled batches (see gatherRows). */
  private readonly hostValues = new Map<tf.Tensor, tf.TypedArray | string[]>();

  constructor(
    readonly xs: tf.Tensor[],
    readonly ys: (tf.Tensor | null)[],
    readonly sampleWeights: (tf.Tensor | null)[],
    readonly numSamples: number,
  ) {}

  /** Normalises user data; tensors created from arrays go to `owned` (the caller disposes them). */
  static from(model: ModelLike, x: unknown, y: unknown, sampleWeight: unknown, where: string, owned: tf.Tensor[]): ArrayData {
    const outputNames = outputNamesOf(model);
    const xs = toTensorList(x, inputNamesOf(model), `${where}: x`, 'inputs', owned) as tf.Tensor[];
    const ys = y === undefined || y === null ? outputNames.map(() => null) : toTensorList(y, outputNames, `${where}: y`, 'outputs', owned, true);
    const sws = toSampleWeightList(sampleWeight, outputNames, `${where}: sampleWeight`, owned);
    const n = countSamples([
      { what: `${where}: x`, tensors: xs },
      { what: `${where}: y`, tensors: ys },
      { what: `${where}: sampleWeight`, tensors: sws },
    ]);
    return new ArrayData(xs, ys, sws, n);
  }

  /** [first splitAt samples, the rest]; the slices go to `owned`. */
  split(splitAt: number, owned: tf.Tensor[]): [ArrayData, ArrayData] {
    const cut = (t: tf.Tensor | null, begin: number, size: number): tf.Tensor | null => {
      if (t === null) return null;
      const s = tf.slice(t, [begin], [size]);
      owned.push(s);
      return s;
    };
    // Shared tensors (one sample weight for every output) are cut once per list entry; that is cheap.
    const part = (begin: number, size: number) =>
      new ArrayData(
        this.xs.map((t) => cut(t, begin, size) as tf.Tensor),
        this.ys.map((t) => cut(t, begin, size)),
        this.sampleWeights.map((t) => cut(t, begin, size)),
        size,
      );
    return [part(0, splitAt), part(splitAt, this.numSamples - splitAt)];
  }

  numBatches(batchSize: number): number {
    return Math.ceil(this.numSamples / batchSize);
  }

  /**
   * One pass over the data. shuffle true: a fresh permutation of all samples; 'batch': the samples of
   * each consecutive batch-sized chunk are shuffled among themselves (Keras 3's array adapter); false:
   * in order. Contiguous batches are slices; shuffled ones are gathered.
   */
  *batches(batchSize: number, shuffle: Shuffle): Generator<Batch> {
    const n = this.numSamples;
    const random = shuffle ? makeRandom(nextSeed()) : null;
    const order = random && shuffle === true ? permutation(n, random) : null;
    for (let start = 0; start < n; start += batchSize) {
      const stop = Math.min(start + batchSize, n);
      let indices: Int32Array | null = null;
      if (order) indices = order.subarray(start, stop);
      else if (random) indices = permutation(stop - start, random).map((i) => i + start);
      yield this.take(start, stop, indices);
    }
  }

  private take(start: number, stop: number, indices: Int32Array | null): Batch {
    const owned: tf.Tensor[] = [];
    const pick = (t: tf.Tensor | null): tf.Tensor | null => {
      if (t === null) return null;
      const out = indices ? this.gatherRows(t, indices) : tf.slice(t, [start], [stop - start]);
      owned.push(out);
      return out;
    };
    const batch: Batch = {
      xs: this.xs.map((t) => pick(t) as tf.Tensor),
      ys: this.ys.map(pick),
      sampleWeights: this.sampleWeights.map(pick),
      size: stop - start,
      owned,
    };
    return batch;
  }

  /**
   * Rows `indices` of `t` as a new tensor, copied from a host copy of the data. tf.gather on the CPU
   * backend converts every element's index separately, which made shuffled batches of sequence data
   * a noticeable share of a training step; copying whole rows is a memcpy per sample.
   */
  private gatherRows(t: tf.Tensor, indices: Int32Array): tf.Tensor {
    let values = this.hostValues.get(t);
    if (values === undefined) {
      values = t.dataSync() as tf.TypedArray | string[];
      this.hostValues.set(t, values);
    }
    const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0];
    const shape = [indices.length, ...t.shape.slice(1)];
    if (Array.isArray(values)) {
      // Strings (raw text for a preprocessing layer): copied row by row as a plain array.
      const strings = values;
      return tf.tensor(Array.from(indices).flatMap((row) => strings.slice(row * rowSize, (row + 1) * rowSize)), shape, 'string');
    }
    const typed = values;
    const out = new (typed.constructor as new (n: number) => tf.TypedArray)(indices.length * rowSize);
    indices.forEach((row, k) => out.set(typed.subarray(row * rowSize, (row + 1) * rowSize), k * rowSize));
    return tf.tensor(out, shape, t.dtype);
  }
}

/** Fisher-Yates permutation of 0..n-1. */
function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}

/** Turns one yielded element into a Batch; every tensor involved is owned (disposed after the step). */
export function elementToBatch(model: ModelLike, element: unknown, where: string): Batch {
  let x: unknown;
  let y: unknown;
  let sw: unknown;
  if (Array.isArray(element) && (element.length === 2 || element.length === 3)) {
    [x, y, sw] = element;
  } else if (element !== null && typeof element === 'object' && 'xs' in element) {
    const e = element as { xs: unknown; ys?: unknown; sampleWeight?: unknown };
    x = e.xs;
    y = e.ys;
    sw = e.sampleWeight;
  } else {
    throw new Error(`${where}: each batch must be {xs, ys, sampleWeight?} or [x, y] / [x, y, sampleWeight]; got ${describe(element)}.`);
  }
  const created: tf.Tensor[] = [];
  const data = ArrayData.from(model, x, y, sw, where, created);
  const owned = new Set<tf.Tensor>(created);
  for (const t of [...data.xs, ...data.ys, ...data.sampleWeights]) if (t) owned.add(t);
  return { xs: data.xs, ys: data.ys, sampleWeights: data.sampleWeights, size: data.numSamples, owned: [...owned] };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x instanceof tf.Tensor) return `a tensor of shape [${x.shape}]`;
  return typeof x === 'object' ? `an object with keys ${Object.keys(x as object).join(', ')}` : typeof x;
}

/** A fresh iterator over an iterable's elements (or the same one, for one-shot iterators). */
async function openIterator(source: BatchIterable, where: string): Promise<AnyIterator<unknown>> {
  let s: unknown = source;
  if (typeof s === 'function') s = (s as () => unknown)();
  const o = s as Record<string | symbol, unknown>;
  if (o !== null && typeof o === 'object') {
    if (typeof o[Symbol.asyncIterator] === 'function') return (o[Symbol.asyncIterator] as () => AsyncIterator<unknown>)();
    if (typeof o[Symbol.iterator] === 'function') return (o[Symbol.iterator] as () => Iterator<unknown>)();
    if (typeof o.iterator === 'function') return (await (o.iterator as () => Promise<AnyIterator<unknown>>)()) as AnyIterator<unknown>;
    if (typeof o.next === 'function') return o as unknown as AnyIterator<unknown>;
  }
  throw new Error(`${where}: the data source did not give an iterator (expected an iterable, an async iterable, a generator function or a tfjs Dataset).`);
}

/** Where an epoch's batches come from. */
export interface BatchSource {
  /** Batches per epoch when known in advance. */
  readonly stepsPerEpoch: number | null;
  /** Batches of the next epoch. */
  epoch(): AsyncGenerator<Batch>;
}

/** In-memory data: one pass per epoch, or `steps` batches continuing where the last epoch stopped. */
export function arraySource(data: ArrayData, batchSize: number, shuffle: Shuffle, steps: number | null): BatchSource {
  return new EpochIterator(async () => data.batches(batchSize, shuffle), (b) => b as Batch, steps, steps ?? data.numBatches(batchSize));
}

/** An iterable of batches. */
export function iterableSource(model: ModelLike, source: BatchIterable, steps: number | null, where: string): BatchSource {
  return new EpochIterator(() => openIterator(source, where), (e) => elementToBatch(model, e, where), steps, steps);
}

/**
 * Keras's epoch iterator: without a step count an epoch is one full pass over a fresh iterator; with
 * one, the iterator persists across epochs and an epoch takes `steps` batches. When the data runs out
 * early the epoch ends there (with a warning) and the next epoch starts a fresh pass.
 */
class EpochIterator implements BatchSource {
  private current: AnyIterator<unknown> | null = null;
  /** Set when the last epoch ended because the data ran out before `steps` batches. */
  ranOutEarly = false;
  constructor(
    private readonly open: () => Promise<AnyIterator<unknown>>,
    private readonly toBatch: (element: unknown) => Batch,
    private readonly steps: number | null,
    readonly stepsPerEpoch: number | null,
  ) {}

  async *epoch(): AsyncGenerator<Batch> {
    this.ranOutEarly = false;
    if (this.steps === null) {
      const it = await this.open();
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield this.toBatch(r.value);
      }
    }
    for (let step = 0; step < this.steps; step++) {
      if (this.current === null) this.current = await this.open();
      const r = await this.current.next();
      if (r.done) {
        this.current = null;
        this.ranOutEarly = true;
        return;
      }
      yield this.toBatch(r.value);
    }
  }
}
