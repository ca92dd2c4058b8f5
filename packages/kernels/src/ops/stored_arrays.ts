/**
 * Arrays between the library and tfjs's 'cpu' backend without copies, keeping the bookkeeping of
 * registration/result_recycling.ts: an array read here is not counted as read out by a caller, and an
 * array handed over here may return to the native addon's pool once its tensor is freed.
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, type KernelBackendIO } from '../registration/backend_io';
import { storedValues } from '../registration/result_recycling';
import { isFloat32Array } from '../typescript/request_checks';

/**
 * The float32 values of `t` for the library's use during one call: on 'cpu' the backend's own array
 * (neither kept nor written by the caller), elsewhere a copy.
 */
export function storedFloat32(t: tf.Tensor): Float32Array {
  const values = t.dtype === 'float32' && tf.getBackend() === 'cpu' ? storedValues(tf.backend(), t.dataId) : null;
  // Not instanceof: the addon's arrays may come from another realm (Jest's sandbox).
  if (isFloat32Array(values) && values.length === t.size) return values;
  const data = t.dataSync();
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/** A float32 tensor over `values` (not copied); the caller gives up every reference to them. */
export function tensorOwning(values: Float32Array, shape: readonly number[]): tf.Tensor {
  const backend = tf.backend();
  if (tf.getBackend() !== 'cpu') return tf.tensor(values, [...shape], 'float32');
  // Written as a kernel writes its output (tf.tensor would copy an array of another realm).
  return tf.engine().makeTensorFromTensorInfo(makeOutput(backend as unknown as KernelBackendIO, [...shape], values), backend);
}
