/**
 * Large results of the native addon go back to its pool when tfjs frees their last tensor, instead of
 * when the garbage collector finds their array. A training step of M1 hands tfjs about 45 MB of such
 * results; waiting for the collector meant fresh memory (page faults) for most of them at the next step,
 * and V8 ran a collection or two per step for the external memory alone.
 *
 * An array is recycled only when nothing else can reach it:
 * - it was handed to the backend by the library alone (`handOver`: a kernel's output, or the optimizer's
 *   new weights), and was not already held by a tensor then (a kernel that returns an input's array);
 * - no live data id of the backend holds a view of its buffer (the backend's `write` and `disposeData` are
 *   wrapped to count them; a slice over the same buffer counts too);
 * - its values were never read out through the backend's `readSync` or `read` (what `dataSync()`,
 *   `data()`, `array()` and `buffer()` use): such an array may be held by a caller, so it is left to the
 *   garbage collector for good. The library's own kernels read their inputs with `storedValues`, which
 *   does not count as a read out: they hold the array only during the call.
 * The addon detaches the array before its block is reused (`recycleResult`), so even a reference nobody
 * declared sees an empty array, never another result's numbers.
 *
 * Only the 'cpu' backend stores arrays this way; elsewhere nothing is wrapped or recycled.
 */

import * as tf from '@tensorflow/tfjs';

/** The addon pools results from this size (kMinPooledBytes of native/result_buffers.cc). */
const MIN_POOLED_BYTES = 256 * 1024;

type DataId = object;

/** The part of tfjs's 'cpu' backend (MathBackendCPU) that is wrapped. */
interface StoringBackend {
  data: { has(dataId: DataId): boolean; get(dataId: DataId): { values?: unknown } | undefined };
  write(values: unknown, shape: number[], dtype: string): DataId;
  readSync(dataId: DataId): unknown;
  read(dataId: DataId): Promise<unknown>;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

let recycler: ((values: Float32Array) => boolean) | null = null;

/** Sets what returns an array to the addon (null: nothing is recycled, e.g. on the TypeScript kernels). */
export function setResultRecycler(recycle: ((values: Float32Array) => boolean) | null): void {
  recycler = recycle;
}

const wrapped = new WeakSet<object>();
/** Buffers whose values were read out: never recycled. */
const exposed = new WeakSet<ArrayBufferLike>();
/** Buffers the library alone handed to the backend, with the whole array the addon would take back. */
const handedOver = new WeakMap<ArrayBufferLike, Float32Array>();
/** Large buffers -> how many live data ids hold a view of them. */
const holders = new Map<ArrayBufferLike, number>();
/** Data id -> the buffer its values view (large buffers only). */
const bufferOf = new WeakMap<DataId, ArrayBufferLike>();

/** tfjs's 'cpu' backend, active (the backend a kernel of the library is handed): no other is wrapped. */
function isStoringBackend(backend: unknown): backend is StoringBackend {
  if (tf.getBackend() !== 'cpu' || tf.backend() !== backend) return false;
  const b = backend as Partial<StoringBackend> | null;
  return b !== null && typeof b === 'object' && typeof b.write === 'function' && typeof b.readSync === 'function' &&
    typeof b.read === 'function' && typeof b.disposeData === 'function' && typeof b.data?.has === 'function' &&
    typeof b.data?.get === 'function';
}

// Buffers are compared by identity only, never by `instanceof` (the addon's arrays may come from another
// realm than this module's, as under Jest's module sandbox).

/** The buffer under `values` when it is large enough to be pooled (a small view of a large buffer counts). */
function largeBuffer(values: unknown): ArrayBufferLike | null {
  if (!ArrayBuffer.isView(values)) return null;
  return values.buffer.byteLength < MIN_POOLED_BYTES ? null : values.buffer;
}

function storedBuffer(backend: StoringBackend, dataId: DataId): ArrayBufferLike | null {
  const entry = backend.data.has(dataId) ? backend.data.get(dataId) : undefined;
  return entry !== undefined && ArrayBuffer.isView(entry.values) ? entry.values.buffer : null;
}

function released(dataId: DataId): void {
  const buffer = bufferOf.get(dataId);
  if (buffer === undefined) return;
  bufferOf.delete(dataId);
  const left = (holders.get(buffer) ?? 1) - 1;
  if (left > 0) {
    holders.set(buffer, left);
    return;
  }
  holders.delete(buffer);
  const array = handedOver.get(buffer);
  if (array === undefined) return;
  handedOver.delete(buffer);
  if (recycler !== null && !exposed.has(buffer)) recycler(array);
}

function wrap(backend: StoringBackend): void {
  wrapped.add(backend);
  const { write, readSync, read, disposeData } = backend;
  backend.write = function (this: StoringBackend, values, shape, dtype) {
    const dataId = write.call(this, values, shape, dtype);
    const buffer = largeBuffer(values);
    if (buffer !== null) {
      bufferOf.set(dataId, buffer);
      holders.set(buffer, (holders.get(buffer) ?? 0) + 1);
    }
    return dataId;
  };
  backend.readSync = function (this: StoringBackend, dataId) {
    const buffer = storedBuffer(this, dataId);
    if (buffer !== null) exposed.add(buffer);
    return readSync.call(this, dataId);
  };
  backend.read = function (this: StoringBackend, dataId) {
    const buffer = storedBuffer(this, dataId);
    if (buffer !== null) exposed.add(buffer);
    return read.call(this, dataId);
  };
  backend.disposeData = function (this: StoringBackend, dataId, force) {
    const result = disposeData.call(this, dataId, force);
    if (!this.data.has(dataId)) released(dataId);
    return result;
  };
}

/**
 * Called by the library just before it hands `values` to the backend as a new tensor's data, keeping no
 * reference of its own: the array may go back to the addon when that tensor (and every other holder of
 * its buffer) is freed. A backend seen for the first time is wrapped and this array left alone (data
 * ids written before the wrapping were not counted).
 */
export function handOver(backend: unknown, values: Float32Array): void {
  const buffer = largeBuffer(values);
  if (buffer === null || values.byteLength !== buffer.byteLength || !isStoringBackend(backend)) return;
  if (!wrapped.has(backend)) {
    wrap(backend);
    return;
  }
  if (holders.has(buffer) || exposed.has(buffer)) return;
  handedOver.set(buffer, values);
}

/**
 * A tensor's stored values for the library's own use during one call, without marking them as read out
 * (the caller neither keeps nor writes them). Null when the backend does not store arrays.
 */
export function storedValues(backend: unknown, dataId: DataId): unknown {
  if (!isStoringBackend(backend)) return null;
  const entry = backend.data.get(dataId);
  return entry === undefined ? null : entry.values;
}
