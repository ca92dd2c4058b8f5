/**
 * Tensors <-> one binary file of a backup: the values back to back, little-endian float32 or int32,
 * described by entries (name, shape, dtype, offset, length). The entries are checked against each
 * other and the file size before any value is read, so a damaged description cannot read elsewhere.
 */
import * as tf from '@tensorflow/tfjs';

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

export interface PackedTensors {
  entries: TensorEntry[];
  data: Buffer;
}

export function packTensors(names: readonly string[], tensors: readonly tf.Tensor[]): PackedTensors {
  const entries: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  tensors.forEach((t, i) => {
    const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
    const values = t.dtype === dtype ? t.dataSync() : tf.tidy(() => t.cast(dtype)).dataSync();
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ name: names[i] ?? `tensor_${i}`, shape: [...t.shape], dtype, offset, length: bytes.length });
    chunks.push(Buffer.from(bytes));
    offset += bytes.length;
  });
  return { entries, data: Buffer.concat(chunks) };
}

/** Why `entries` cannot describe a file of `bytes` bytes, or null when they do (back to back, sizes matching shapes). */
export function entriesProblem(entries: readonly TensorEntry[], bytes: number): string | null {
  let offset = 0;
  for (const [i, e] of entries.entries()) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset !== offset) return `tensor ${i} ('${e.name}') starts at byte ${e.offset}, expected ${offset}`;
    if (e.length !== count * 4) return `tensor ${i} ('${e.name}') has ${e.length} bytes, but its shape [${e.shape}] needs ${count * 4}`;
    offset += e.length;
  }
  return offset === bytes ? null : `the tensors take ${offset} bytes, but the file has ${bytes}`;
}

/** The tensors of a file whose entries passed entriesProblem. New tensors; the caller disposes them. */
export function unpackTensors(entries: readonly TensorEntry[], data: Buffer): tf.Tensor[] {
  return entries.map((e) => {
    const copy = new Uint8Array(e.length);
    copy.set(data.subarray(e.offset, e.offset + e.length));
    const values = e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    return tf.tensor(values, e.shape, e.dtype);
  });
}
