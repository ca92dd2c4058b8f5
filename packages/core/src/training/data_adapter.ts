/**
 * Data -> batches. In-memory data (tensors or nested arrays) is sliced into batches, shuffled each
 * epoch with a seeded generator (engine/random.ts) when asked (sample_passes.ts); `validationSplit`
 * takes the last fraction of the samples before any shuffling, as Keras. Indexed data (IndexedData)
 * builds the batch of any list of sample indices on demand, so compact data (token ids expanded to
 * one-hot vectors per batch) is batched and shuffled like arrays. Iterables (sync or async,
 * generators, functions returning an iterator, tfjs Datasets) yield ready-made batches, for data
 * larger than memory. Tensors yielded by an iterable or made by IndexedData are consumed: they are
 * disposed after their step, as tfjs's fitDataset does, so fresh tensors per batch do not leak.
 */
import * as tf from '@tensorflow/tfjs';
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

/**
 * Data that makes the batch of any sample indices on demand (Keras's PyDataset, addressed by sample):
 * fit shuffles, batches and resumes it as it does arrays. `takeSamples` returns a batch element
 * ({xs, ys, sampleWeight?} or [x, y, sampleWeight?]) whose tensors the engine disposes after use.
 */
export interface IndexedData {
  readonly numSamples: number;
  takeSamples(indices: Int32Array): BatchElement;
}

export function isIndexedData(x: unknown): x is IndexedData {
  if (x === null || typeof x !== 'object' || x instanceof tf.Tensor || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  return typeof o.takeSamples === 'function' && typeof o.numSamples === 'number';
}

/** True for the iterable forms (not arrays or tensors, which are in-memory data). */
export function isBatchIterable(x: unknown): x is BatchIterable {
  if (x === null || x === undefined || Array.isArray(x) || x instanceof tf.Tensor || ArrayBuffer.isView(x) || isIndexedData(x)) return false;
  if (typeof x === 'function') return true;
  if (typeof x !== 'object') return false;
  const o = x as Record<string | symbol, unknown>;
  return typeof o[Symbol.asyncIterator] === 'function' || typeof o[Symbol.iterator] === 'function' || typeof o.iterator === 'function';
}

/** Samples by position, as the in-memory batching (sample_passes.ts) takes them. */
export interface SampleRows {
  readonly numSamples: number;
  /** Samples start..stop-1 in order (indices null), or the samples at `indices`, as one batch. */
  take(start: number, stop: number, indices: Int32Array | null): Batch;
}

/** In-memory inputs, targets and sample weights, all with the same number of samples. */
export class ArrayData implements SampleRows {
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

  take(start: number, stop: number, indices: Int32Array | null): Batch {
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

/** Where in-memory data stands between two batches: what a backup needs to continue the same order. */
export interface DataPosition {
  /** Samples and batch size the position belongs to (a resumption with other data is refused). */
  numSamples: number;
  batchSize: number;
  /**
   * The pass in progress (one run through the samples in one order): its shuffle seed (null: in
   * order) and the batches already taken from it. null: the next batch starts a new pass.
   */
  pass: { seed: number | null; batch: number } | null;
}

/** Where an epoch's batches come from. */
export interface BatchSource {
  /** Batches per epoch when known in advance. */
  readonly stepsPerEpoch: number | null;
  /** Batches of the next epoch; `done` of them were trained before a resumption (they are skipped). */
  epoch(done?: number): AsyncGenerator<Batch>;
  /** Where the data stands, for a backup; null when it cannot be positioned (an iterable). */
  position(): DataPosition | null;
  /** Continues from a position() of the same data. */
  restore(position: DataPosition): void;
}

/** An iterable of batches. */
export function iterableSource(model: ModelLike, source: BatchIterable, steps: number | null, where: string): BatchSource {
  return new EpochIterator(() => openIterator(source, where), (e) => elementToBatch(model, e, where), steps);
}

/**
 * Keras's epoch iterator over an iterable: without a step count an epoch is one full pass over a
 * fresh iterator; with one, the iterator persists across epochs and an epoch takes `steps` batches.
 * When the data runs out early the epoch ends there (with a warning from fit) and the next epoch
 * starts a fresh pass. An iterable cannot be positioned: a resumption restarts it.
 */
class EpochIterator implements BatchSource {
  private current: AnyIterator<unknown> | null = null;
  constructor(
    private readonly open: () => Promise<AnyIterator<unknown>>,
    private readonly toBatch: (element: unknown) => Batch,
    readonly stepsPerEpoch: number | null,
  ) {}

  position(): null {
    return null;
  }

  restore(): void {
    throw new Error('fit: an iterable of batches cannot be positioned to continue in the middle of an epoch; pass in-memory or IndexedData data, or back up once per epoch.');
  }

  async *epoch(done = 0): AsyncGenerator<Batch> {
    if (done > 0) this.restore();
    const steps = this.stepsPerEpoch;
    if (steps === null) {
      const it = await this.open();
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield this.toBatch(r.value);
      }
    }
    for (let step = 0; step < steps; step++) {
      if (this.current === null) this.current = await this.open();
      const r = await this.current.next();
      if (r.done) {
        this.current = null;
        return;
      }
      yield this.toBatch(r.value);
    }
  }
}
