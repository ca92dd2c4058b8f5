/**
 * New small Float32Arrays for results handed to a caller once per timestep (a stateful layer's output, a
 * SequenceStepper's step), carved out of a shared block instead of allocated one by one.
 *
 * Node gives every typed array over 64 bytes a buffer of its own outside the JavaScript heap: for a
 * 1 KB array (LSTM(256)'s state) that costs 1.5-2.5 us between the allocation and its collection, about
 * a tenth of a native LSTM(256) step. A view of a block that is already there costs about 0.2 us.
 *
 * Each array is zero-filled and overlaps no other array this returns (the block's space is never
 * reused); its `buffer` is the shared block, so its contents are `buffer` from `byteOffset` for
 * `byteLength` bytes, as for any view. A block lives until the last array over it is collected: an array
 * kept alive keeps at most one block (BLOCK_BYTES) alive with it.
 */

/** Arrays up to this size come from a block; larger ones are allocated as usual (their use dwarfs it). */
export const FRESH_MAX_BLOCK_FLOATS = 1024;
const BLOCK_BYTES = 64 * 1024;
/** Each array starts on a cache line of its own: the native kernels' vector loads then never straddle one. */
const ALIGN_BYTES = 64;

let block: ArrayBuffer | null = null;
let used = BLOCK_BYTES;

/** A new zero-filled Float32Array of `length` floats that overlaps no other array in use. */
export function freshFloat32(length: number): Float32Array {
  if (!Number.isInteger(length) || length < 0) throw new Error(`freshFloat32: length must be a non-negative integer, got ${length}.`);
  if (length > FRESH_MAX_BLOCK_FLOATS) return new Float32Array(length);
  const bytes = Math.ceil((length * 4) / ALIGN_BYTES) * ALIGN_BYTES;
  if (block === null || used + bytes > BLOCK_BYTES) {
    block = new ArrayBuffer(BLOCK_BYTES);
    used = 0;
  }
  const array = new Float32Array(block, used, length);
  used += bytes;
  return array;
}

/** A fresh copy of `values` (freshFloat32). */
export function freshCopy(values: ArrayLike<number>): Float32Array {
  const copy = freshFloat32(values.length);
  copy.set(values);
  return copy;
}
