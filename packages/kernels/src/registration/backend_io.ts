/**
 * Reading inputs and creating outputs inside a kernel, in the terms every tfjs backend offers
 * (readSync; makeTensorInfo on 'cpu', write on 'tensorflow').
 */
import type * as tf from '@tensorflow/tfjs';
import { handOver, storedValues } from './result_recycling';

type TensorInfo = tf.TensorInfo;

export interface KernelBackendIO {
  readSync(dataId: object): unknown;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: Float32Array): TensorInfo;
  write?(values: Float32Array, shape: number[], dtype: tf.DataType): object;
}

/**
 * The stored data of a tensor, read for the duration of a kernel call (not counted as read out: see
 * result_recycling.ts). The cpu backend hands out its own buffer: callers must neither keep nor write it.
 */
export function readStored(backend: KernelBackendIO, info: TensorInfo): unknown {
  return storedValues(backend, info.dataId) ?? backend.readSync(info.dataId);
}

/** The float32 data of a tensor, as readStored gives it. */
export function readFloats(backend: KernelBackendIO, info: TensorInfo, name: string): Float32Array {
  const values = readStored(backend, info);
  if (values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    return Float32Array.from(values as unknown as ArrayLike<number>);
  }
  throw new Error(`${name}: the backend returned no numeric data (dtype ${info.dtype})`);
}

/** The data of an optional input, or null for the empty placeholder. */
export function readOptional(backend: KernelBackendIO, info: TensorInfo | undefined, name: string): Float32Array | null {
  if (info === undefined || isPlaceholder(info)) return null;
  return readFloats(backend, info, name);
}

export function isPlaceholder(info: TensorInfo): boolean {
  return info.shape.length === 1 && info.shape[0] === 0;
}

/** A new float32 tensor owning `values` (not copied; the kernel keeps no reference to them). */
export function makeOutput(backend: KernelBackendIO, shape: number[], values: Float32Array): TensorInfo {
  handOver(backend, values);
  if (typeof backend.makeTensorInfo === 'function') return backend.makeTensorInfo(shape, 'float32', values);
  if (typeof backend.write === 'function') return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
  throw new Error('recurrent kernels: this tfjs backend offers neither makeTensorInfo nor write');
}

