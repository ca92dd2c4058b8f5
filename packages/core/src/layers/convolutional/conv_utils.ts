/**
 * Shared arithmetic of the 1-D windowed layers (Conv1D, MaxPooling1D, AveragePooling1D): output
 * lengths, where the padding goes, and the "taps" of a sliding window. Everything follows TensorFlow
 * (the backend Keras's conv and pooling ops call there):
 * - 'valid': no padding, out = floor((length - dilation*(kernel-1) - 1) / stride) + 1;
 * - 'same': out = ceil(length / stride), padded by max((out-1)*stride + dilation*(kernel-1) + 1 - length, 0)
 *   in total, the smaller half on the left (TensorFlow puts the odd element on the right);
 * - 'causal' (Conv1D only): dilation*(kernel-1) zeros on the left, then 'valid'.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { positiveInt } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';

export type Padding1D = 'valid' | 'same' | 'causal';
export type DataFormat = 'channels_last' | 'channels_first';

export const dataFormatSchema = z.enum(['channels_last', 'channels_first'], {
  error: (iss) => `expected "channels_last" or "channels_first", got ${JSON.stringify(iss.input)}`,
});

/** A positive integer, or a list of one (Keras writes `kernel_size`, `strides`, `pool_size` as 1-tuples). */
export const oneDimension = () => z.union([positiveInt(), z.tuple([positiveInt()])], {
  error: (iss) => `expected a positive integer or a list of one, got ${JSON.stringify(iss.input)}`,
});

/** The number inside `n` or `[n]`. */
export function unwrapOne(value: number | [number]): number {
  return Array.isArray(value) ? value[0] : value;
}

export interface WindowSpec {
  kernel: number;
  stride: number;
  dilation: number;
  padding: Padding1D;
}

/** Length of the output along the window axis, or null when the input length is unknown. */
export function windowOutputLength(length: number | null, w: WindowSpec): number | null {
  if (length == null) return null;
  if (w.padding === 'valid') return Math.floor((length - w.dilation * (w.kernel - 1) - 1) / w.stride) + 1;
  return Math.floor((length - 1) / w.stride) + 1;
}

/** Zeros (or pad values) added [before, after] the window axis. */
export function windowPadding(length: number, w: WindowSpec): [number, number] {
  if (w.padding === 'valid') return [0, 0];
  const span = w.dilation * (w.kernel - 1);
  if (w.padding === 'causal') return [span, 0];
  const out = windowOutputLength(length, w) as number;
  const total = Math.max((out - 1) * w.stride + span + 1 - length, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Throws a clear error when a known input length gives an empty output. */
export function checkWindowFits(where: string, shape: Shape, axis: number, w: WindowSpec): void {
  const out = windowOutputLength(shape[axis], w);
  if (out != null && out <= 0) {
    const need = w.dilation * (w.kernel - 1) + 1;
    throw new Error(`${where}: the input ${formatShape(shape)} has ${shape[axis]} steps, fewer than the ${need} one window covers with padding 'valid'; use padding 'same' or longer inputs.`);
  }
}

/**
 * The `kernel` taps of a sliding window over axis 1 of x [batch, length, channels]: tap j is the
 * [batch, out, channels] tensor of x[:, j*dilation + t*stride, :] for t < out, after padding x with
 * `padValue` as `windowPadding` says. Built from pad, slice and reshape only, so tfjs differentiates it
 * and the caller combines the taps with whole-tensor operations (matrix products for a convolution,
 * elementwise maxima or sums for pooling).
 */
export function windowTaps(x: Tensor, w: WindowSpec, padValue = 0): Tensor[] {
  const [batch, length, channels] = x.shape as [number, number, number];
  const out = windowOutputLength(length, w) as number;
  const [before, after] = windowPadding(length, w);
  if (w.stride > 1 && w.dilation === 1 && w.kernel <= w.stride) return disjointWindowTaps(x, w, out, before, padValue);
  // A strided tap reads out*stride steps (then keeps every stride-th): pad the end so the last tap has them.
  const span = w.dilation * (w.kernel - 1);
  const needed = w.stride === 1 ? 0 : Math.max(0, span + out * w.stride - (length + before + after));
  const padded = before + after + needed > 0 ? tf.pad(x, [[0, 0], [before, after + needed], [0, 0]], padValue) : x;
  const taps: Tensor[] = [];
  for (let j = 0; j < w.kernel; j++) {
    const start = j * w.dilation;
    if (w.stride === 1) {
      taps.push(tf.slice(padded, [0, start, 0], [batch, out, channels]));
      continue;
    }
    const run = tf.slice(padded, [0, start, 0], [batch, out * w.stride, channels]).reshape([batch, out, w.stride, channels]);
    taps.push(tf.slice(run, [0, 0, 0, 0], [batch, out, 1, channels]).reshape([batch, out, channels]));
  }
  return taps;
}

/**
 * The taps of windows that do not overlap (kernel <= stride, no dilation, e.g. MaxPooling1D(4)): one
 * reshape to [batch, out, stride, channels] holds every window, and tap j is its index j on axis 2.
 */
function disjointWindowTaps(x: Tensor, w: WindowSpec, out: number, before: number, padValue: number): Tensor[] {
  const [batch, length, channels] = x.shape as [number, number, number];
  // Window t covers steps [t*stride, t*stride + kernel) of the padded sequence, all below out*stride.
  const end = Math.max(0, out * w.stride - (before + length));
  const padded = before + end > 0 ? tf.pad(x, [[0, 0], [before, end], [0, 0]], padValue) : x;
  const windows = tf.slice(padded, [0, 0, 0], [batch, out * w.stride, channels]).reshape([batch, out, w.stride, channels]);
  return Array.from({ length: w.kernel }, (_, j) => tf.slice(windows, [0, 0, j, 0], [batch, out, 1, channels]).reshape([batch, out, channels]));
}

/** channels_first [batch, channels, length] <-> channels_last [batch, length, channels]. */
export function swapChannels(x: Tensor): Tensor {
  return tf.transpose(x, [0, 2, 1]);
}
