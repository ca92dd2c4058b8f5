/**
 * The 'MaxPool1DWindows' kernel (the maximum of each window of `poolSize` steps, every `strides`
 * steps, over axis 1 of x [batch, steps, channels]) and its gradient kernel 'MaxPool1DWindowsGrad'
 * (each window's dy added to the step that holds the window's first maximum, TensorFlow's
 * MaxPoolGrad rule), as plain loops over the backend's arrays. Built from taps (strided slices and
 * pairwise maxima), the same pooling costs tfjs a full-size tensor per tap in the backward pass.
 *
 * Window t covers steps [t*strides - padBefore, t*strides - padBefore + poolSize); steps outside
 * [0, steps) are padding, which never wins (a window of padding only gives -Infinity and no
 * gradient). A NaN in a window makes its maximum NaN and passes no gradient, as the pairwise maxima
 * do (every comparison with NaN is false).
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { requiredInput as input, type RowKernelArgs } from './row_kernel_io';

export const MAX_POOL_1D = 'MaxPool1DWindows';
export const MAX_POOL_1D_GRAD = 'MaxPool1DWindowsGrad';

/** Attributes of both kernels (plain values, as tfjs NamedAttrMap requires). */
export interface MaxPool1DAttrs {
  poolSize: number;
  strides: number;
  /** Padding steps before the first step ('same' padding); 0 for 'valid'. */
  padBefore: number;
  /** Number of windows. */
  outLength: number;
}

interface PoolShape {
  batch: number;
  steps: number;
  channels: number;
}

/** Throws, naming `where`, unless every attribute is an integer in its range. */
export function checkMaxPool1DAttrs(attrs: MaxPool1DAttrs, where: string): void {
  const { poolSize, strides, padBefore, outLength } = attrs;
  for (const [name, value, min] of [['poolSize', poolSize, 1], ['strides', strides, 1], ['padBefore', padBefore, 0], ['outLength', outLength, 0]] as const) {
    if (!Number.isInteger(value) || value < min) throw new Error(`${where}: ${name} must be an integer >= ${min}, got ${value}.`);
  }
}

function poolShape(x: tf.TensorInfo, attrs: MaxPool1DAttrs, kernel: string): PoolShape {
  if (x.shape.length !== 3) throw new Error(`${kernel} kernel: x must be [batch, steps, channels], got [${x.shape.join(', ')}]`);
  checkMaxPool1DAttrs(attrs, `${kernel} kernel`);
  const [batch, steps, channels] = x.shape;
  return { batch, steps, channels };
}

/** Calls visit(outRow, firstStep, endStep) for every window, with its real steps [firstStep, endStep). */
function forEachWindow(s: PoolShape, attrs: MaxPool1DAttrs, visit: (outRow: number, first: number, end: number, b: number) => void): void {
  for (let b = 0; b < s.batch; b++) {
    for (let t = 0; t < attrs.outLength; t++) {
      const start = t * attrs.strides - attrs.padBefore;
      visit(b * attrs.outLength + t, Math.max(start, 0), Math.min(start + attrs.poolSize, s.steps), b);
    }
  }
}

/**
 * The maxima over steps [first, end) of batch row `base` (in steps) of x, per channel, into best; and
 * into `where`, when given, the step of each first maximum. Once NaN, a maximum stays NaN: v > NaN is
 * false, and v !== v only for another NaN.
 */
function scanWindow(x: Float32Array, C: number, base: number, first: number, end: number, best: Float32Array, where: Int32Array | null): void {
  best.set(x.subarray((base + first) * C, (base + first + 1) * C));
  if (where) where.fill(first);
  for (let step = first + 1; step < end; step++) {
    const row = (base + step) * C;
    for (let c = 0; c < C; c++) {
      const v = x[row + c];
      if (v > best[c] || v !== v) {
        best[c] = v;
        if (where) where[c] = step;
      }
    }
  }
}

/** inputs { x [batch, steps, channels] float32 } -> [batch, outLength, channels]. */
export function maxPool1DKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as MaxPool1DAttrs;
  const xInfo = input(args.inputs, 'x', MAX_POOL_1D);
  const s = poolShape(xInfo, attrs, MAX_POOL_1D);
  const x = readFloats(backend, xInfo, 'x');
  const C = s.channels;
  const out = new Float32Array(s.batch * attrs.outLength * C);
  forEachWindow(s, attrs, (outRow, first, end, b) => {
    const o = outRow * C;
    if (first >= end) out.fill(-Infinity, o, o + C);
    else scanWindow(x, C, b * s.steps, first, end, out.subarray(o, o + C), null);
  });
  return makeOutput(backend, [s.batch, attrs.outLength, C], out);
}

/** inputs { x [batch, steps, channels], dy [batch, outLength, channels] } -> dx, the shape of x. */
export function maxPool1DGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as MaxPool1DAttrs;
  const xInfo = input(args.inputs, 'x', MAX_POOL_1D_GRAD);
  const dyInfo = input(args.inputs, 'dy', MAX_POOL_1D_GRAD);
  const s = poolShape(xInfo, attrs, MAX_POOL_1D_GRAD);
  const C = s.channels;
  const expected = [s.batch, attrs.outLength, C];
  if (dyInfo.shape.length !== 3 || dyInfo.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${MAX_POOL_1D_GRAD} kernel: dy has shape [${dyInfo.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const x = readFloats(backend, xInfo, 'x');
  const dy = readFloats(backend, dyInfo, 'dy');
  const dx = new Float32Array(x.length);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  forEachWindow(s, attrs, (outRow, first, end, b) => {
    if (first >= end) return;
    const base = b * s.steps;
    scanWindow(x, C, base, first, end, best, where);
    const o = outRow * C;
    for (let c = 0; c < C; c++) {
      if (best[c] !== best[c]) continue; // a window holding NaN passes no gradient
      dx[(base + where[c]) * C + c] += dy[o + c];
    }
  });
  return makeOutput(backend, [...xInfo.shape], dx);
}

/** x's gradient through 'MaxPool1DWindowsGrad'. */
export const maxPool1DGradConfig: tf.GradConfig = {
  kernelName: MAX_POOL_1D,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x] = saved;
    return { x: () => tf.engine().runKernel(MAX_POOL_1D_GRAD, { x, dy: dy as tf.Tensor }, attrs) as tf.Tensor };
  },
};
