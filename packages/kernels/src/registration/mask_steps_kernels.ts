/**
 * 'MaskSteps' (Keras's Masking layer in one pass: a step whose features all equal maskValue is zeroed
 * and marked 0 in the mask, every other step is kept and marked 1) and its gradient kernel
 * 'MaskStepsGrad' (dy with the masked steps zeroed). tfjs would need any(notEqual(x, v), -1) and then
 * a broadcasting multiply [..., features] * [..., 1], which the cpu backend runs element by element
 * through a generic index conversion.
 */
import * as tf from '@tensorflow/tfjs';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { requiredInput, rowsAndWidth, type RowKernelArgs } from './row_kernel_io';

export const MASK_STEPS = 'MaskSteps';
export const MASK_STEPS_GRAD = 'MaskStepsGrad';

export interface MaskStepsAttrs {
  maskValue: number;
}

/** inputs { x [..., features] float32 } -> [ x with masked steps zeroed, keep [...] float32 0/1 ]. */
export function maskStepsKernel(args: RowKernelArgs): tf.TensorInfo[] {
  const backend = args.backend as KernelBackendIO;
  const { maskValue } = args.attrs as unknown as MaskStepsAttrs;
  const x = requiredInput(args.inputs, 'x', MASK_STEPS);
  const values = readFloats(backend, x, 'x');
  const { rows, width } = rowsAndWidth(x.shape);
  const out = new Float32Array(values.length);
  const keep = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    const end = start + width;
    let kept = false;
    // NaN differs from every maskValue (NaN included), as x != maskValue says.
    for (let i = start; i < end; i++) {
      if (values[i] !== maskValue) {
        kept = true;
        break;
      }
    }
    if (!kept) continue; // the output row stays zero
    keep[r] = 1;
    for (let i = start; i < end; i++) out[i] = values[i];
  }
  return [makeOutput(backend, [...x.shape], out), makeOutput(backend, x.shape.slice(0, -1), keep)];
}

/** inputs { dy [..., features], keep [...] } -> dy with the rows where keep = 0 zeroed. */
export function maskStepsGradKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const dyInfo = requiredInput(args.inputs, 'dy', MASK_STEPS_GRAD);
  const keepInfo = requiredInput(args.inputs, 'keep', MASK_STEPS_GRAD);
  const dy = readFloats(backend, dyInfo, 'dy');
  const keep = readFloats(backend, keepInfo, 'keep');
  const { rows, width } = rowsAndWidth(dyInfo.shape);
  if (keep.length !== rows) {
    throw new Error(`${MASK_STEPS_GRAD} kernel: keep has ${keep.length} values for the ${rows} steps of dy [${dyInfo.shape.join(', ')}]`);
  }
  const dx = new Float32Array(dy.length);
  for (let r = 0; r < rows; r++) {
    if (keep[r] === 0) continue;
    const start = r * width;
    for (let i = start; i < start + width; i++) dx[i] = dy[i];
  }
  return makeOutput(backend, [...dyInfo.shape], dx);
}

/** Only the masked output has a gradient (keep is a constant of the data); it reads keep from the forward pass. */
export const maskStepsGradConfig: tf.GradConfig = {
  kernelName: MASK_STEPS,
  outputsToSave: [false, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [keep] = saved;
    const dOut = Array.isArray(dy) ? dy[0] : dy;
    return { x: () => tf.engine().runKernel(MASK_STEPS_GRAD, { dy: dOut, keep }, {}) as tf.Tensor };
  },
};
