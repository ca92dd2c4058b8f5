/**
 * The small part of tfjs's 'cpu' backend (MathBackendCPU) that the replacement kernels touch: its
 * stored values, and how a result is handed back. Typed here so the kernels need no cast beyond one.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '../backend/kernel_override_set';

export type { KernelConfig };
export type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];
export type TensorInfo = tf.TensorInfo;

export interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array | Uint8Array): TensorInfo;
}

export function cpuBackendOf(args: KernelArgs): CpuBackend {
  return args.backend as unknown as CpuBackend;
}

/** The stored values of a float32 tensor, or null when they are not a Float32Array of its size. */
export function float32Values(backend: CpuBackend, t: TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array && values.length === sizeOf(t.shape) ? values : null;
}

/** The stored values of a bool tensor (one byte each), or null. */
export function boolValues(backend: CpuBackend, t: TensorInfo): Uint8Array | null {
  if (t.dtype !== 'bool') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Uint8Array && values.length === sizeOf(t.shape) ? values : null;
}

/** The stored values of a float32 or int32 tensor (typed as stored), else null. */
export function numericValues(backend: CpuBackend, t: TensorInfo): Float32Array | Int32Array | null {
  if (t.dtype === 'float32') return float32Values(backend, t);
  if (t.dtype !== 'int32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Int32Array && values.length === sizeOf(t.shape) ? values : null;
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i];
  return size;
}
