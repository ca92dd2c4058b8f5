/**
 * Gradient clipping as Keras 3 (optimizers/base_optimizer.py): `clipnorm` rescales each gradient
 * tensor to an L2 norm of at most clipnorm; `globalClipnorm` scales all of them by
 * min(1, c / globalNorm); `clipvalue` clips elementwise to [-v, v]. Only one may be set.
 */
import * as tf from '@tensorflow/tfjs';

export interface ClipOptions {
  clipnorm?: number | null;
  clipvalue?: number | null;
  globalClipnorm?: number | null;
}

export function validateClipOptions(opts: ClipOptions, where: string): void {
  const set = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((k) => opts[k] != null);
  if (set.length > 1) {
    throw new Error(
      `${where}: only one of clipnorm, clipvalue and globalClipnorm can be set; received ` +
        `clipnorm=${opts.clipnorm ?? null}, clipvalue=${opts.clipvalue ?? null}, globalClipnorm=${opts.globalClipnorm ?? null}.`,
    );
  }
  for (const k of set) {
    const v = opts[k] as number;
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`${where}: ${k} must be a positive number, got ${v}.`);
  }
}

/** g * c / max(||g||, c). */
export function clipByNorm(g: tf.Tensor, clipnorm: number): tf.Tensor {
  return tf.tidy(() => {
    const norm = g.square().sum().sqrt();
    return g.mul(clipnorm).div(tf.maximum(norm, clipnorm));
  });
}

/** sqrt of the sum of squares of every element of every tensor. */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    return tf.addN(tensors.map((t) => t.square().sum())).sqrt() as tf.Scalar;
  });
}

/** Every tensor times min(1, c / globalNorm); a non-finite norm gives NaN gradients, as in Keras. */
export function clipByGlobalNorm(tensors: readonly tf.Tensor[], clipnorm: number): tf.Tensor[] {
  return tf.tidy(() => {
    const norm = globalNorm(tensors);
    const scale = tf.minimum(tf.scalar(1).div(norm), 1 / clipnorm).mul(clipnorm).add(norm.sub(norm));
    return tensors.map((t) => t.mul(scale));
  });
}

export function clipByValue(g: tf.Tensor, clipvalue: number): tf.Tensor {
  return tf.clipByValue(g, -clipvalue, clipvalue);
}

/** Applies whichever clipping is configured; null gradients stay null. */
export function clipGradients(grads: readonly (tf.Tensor | null)[], opts: ClipOptions): (tf.Tensor | null)[] {
  if (opts.clipnorm != null) {
    const c = opts.clipnorm;
    return grads.map((g) => (g === null ? null : clipByNorm(g, c)));
  }
  if (opts.globalClipnorm != null) {
    const present = grads.filter((g): g is tf.Tensor => g !== null);
    const clipped = clipByGlobalNorm(present, opts.globalClipnorm);
    let i = 0;
    return grads.map((g) => (g === null ? null : clipped[i++]));
  }
  if (opts.clipvalue != null) {
    const v = opts.clipvalue;
    return grads.map((g) => (g === null ? null : clipByValue(g, v)));
  }
  return [...grads];
}

/**
 * Clipping on the fused path, from the gradients' arrays: each gradient i becomes
 * clamp(g * scales[i], -clipValue, clipValue), which the update loop applies element by element.
 * Same semantics as clipGradients: clipnorm scales each gradient by c / max(||g||, c); globalClipnorm
 * scales all by c / max(globalNorm, c), and by NaN when the global norm is not finite (Keras);
 * clipvalue clamps. Null gradients get scale 1 and are skipped by the caller.
 */
export interface ArrayClipping {
  scales: number[];
  clipValue: number;
}

export function arrayClipping(grads: readonly (Float32Array | null)[], opts: ClipOptions): ArrayClipping {
  const scales = grads.map(() => 1);
  if (opts.clipnorm != null) {
    const c = opts.clipnorm;
    grads.forEach((g, i) => {
      if (g !== null) scales[i] = c / Math.max(normFromSumOfSquares(sumOfSquares(g)), c);
    });
  } else if (opts.globalClipnorm != null) {
    const c = opts.globalClipnorm;
    let total = 0;
    for (const g of grads) if (g !== null) total += sumOfSquares(g);
    const norm = normFromSumOfSquares(total);
    const scale = Number.isFinite(norm) ? c / Math.max(norm, c) : NaN;
    scales.fill(scale);
  }
  return { scales, clipValue: opts.clipvalue ?? Infinity };
}

/** Sum of squares in float64 (the 'cpu' sum kernel also accumulates in a JS number). */
function sumOfSquares(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}

/** sqrt of a sum of squares, infinite when the sum overflows float32, as the tensor norm does. */
function normFromSumOfSquares(sum: number): number {
  return Math.fround(sum) === Infinity ? Infinity : Math.sqrt(sum);
}
