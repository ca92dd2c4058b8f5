/**
 * A layer's gradients against central finite differences. The loss is sum_k sum(output_k * R_k), R_k
 * fixed seeded normal weights (so every output entry counts, with its own sign); its gradient from tf's
 * autodiff (the registered kernel gradients) with respect to the float inputs and the trainable weights
 * is compared, at a spread of entries of each, with (loss(x + eps) - loss(x - eps)) / 2 eps computed
 * from forward passes alone, in float64. Test support: not shipped.
 */
import * as tf from '@tensorflow/tfjs';
import type { CallKwargs, Layer } from '../engine/layer';
import { toList, type Tensor } from '../engine/types';

export interface GradientCheckOptions {
  /** Call options for every call (training, masks, ...). */
  callArgs?: CallKwargs;
  /** Which inputs to differentiate (default every float32 input). */
  inputs?: number[];
  /** The finite-difference step (default 1e-2). */
  eps?: number;
  /** Allowed |analytic - numeric| is atol + rtol * |numeric| (defaults 2e-3 and 2e-2). */
  atol?: number;
  rtol?: number;
  /** Entries checked per tensor (default 12; every entry of a smaller tensor). */
  samples?: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * `count` distinct positions in [0, size), spread by the golden-ratio sequence: unlike a fixed stride, it
 * does not keep landing on the same column of a matrix (the same gate of a recurrent kernel).
 */
export function spreadIndices(size: number, count: number): number[] {
  if (size <= count) return [...Array(size).keys()];
  const picked = new Set<number>();
  for (let k = 0; picked.size < count; k++) picked.add(Math.floor(((k * GOLDEN) % 1) * size));
  return [...picked].sort((a, b) => a - b);
}

/** The float inputs a gradient check differentiates by default. */
export function floatInputs(data: Tensor[]): number[] {
  return data.flatMap((x, i) => (x.dtype === 'float32' ? [i] : []));
}

/** Throws, naming the layer, the tensor and the entry, at the first derivative that disagrees. */
export function checkLayerGradients(layer: Layer, data: Tensor | Tensor[], opts: GradientCheckOptions = {}): void {
  const { eps = 1e-2, atol = 2e-3, rtol = 2e-2, samples = 12 } = opts;
  const xs = toList(data);
  const chosen = opts.inputs ?? floatInputs(xs);
  // A stateful layer starts every call from its initial states, so that each call computes the same function.
  const call = (inputs: Tensor[]): Tensor[] => {
    if (layer.stateful && layer.resetStates) layer.resetStates();
    const outputs = toList(layer.apply(Array.isArray(data) ? inputs : inputs[0], opts.callArgs ?? {}));
    return outputs.filter((o) => o.dtype === 'float32');
  };
  const outputShapes = tf.tidy(() => call(xs).map((o) => [...o.shape]));
  if (outputShapes.length === 0) throw new Error(`${layer.describe()}: no float32 output to check the gradients of.`);
  const R = outputShapes.map((shape, k) => tf.randomNormal(shape, 0, 1, 'float32', 7 + k));
  const rValues = R.map((r) => r.dataSync());
  const loss = (inputs: Tensor[]) => tf.addN(call(inputs).map((o, k) => tf.sum(tf.mul(o, R[k])))) as tf.Scalar;
  const numericLoss = (inputs: Tensor[]): number => tf.tidy(() => {
    let total = 0;
    call(inputs).forEach((o, k) => o.dataSync().forEach((v, i) => (total += v * rValues[k][i])));
    return total;
  });

  /**
   * Compares the analytic derivative at the sampled entries with loss(values moved by +-eps at that
   * entry). A disagreement that a ten times smaller step removes was a kink (relu, max) within eps of
   * the point, not a wrong gradient; a wrong gradient disagrees at both steps.
   */
  const compare = (label: string, analytic: Tensor, base: Float32Array, lossAt: (values: Float32Array) => number): void => {
    const a = analytic.dataSync();
    const agrees = (numeric: number, i: number) => Math.abs(a[i] - numeric) <= atol + rtol * Math.abs(numeric);
    for (const i of spreadIndices(base.length, samples)) {
      const central = (step: number) => {
        const moved = (delta: number) => {
          const values = base.slice();
          values[i] += delta;
          return lossAt(values);
        };
        return (moved(step) - moved(-step)) / (2 * step);
      };
      const numeric = central(eps);
      if (agrees(numeric, i)) continue;
      const finer = central(eps / 10);
      if (!agrees(finer, i)) {
        throw new Error(`${layer.describe()}: gradient of ${label}[${i}] is ${a[i]}, central finite differences give ${numeric} (eps ${eps}) and ${finer} (eps ${eps / 10}); `
          + `allowed difference ${atol} + ${rtol} * |numeric|.`);
      }
    }
  };

  try {
    if (chosen.length > 0) {
      const grads = tf.grads((...picked: Tensor[]) => loss(xs.map((x, i) => (chosen.includes(i) ? picked[chosen.indexOf(i)] : x))))(chosen.map((i) => xs[i]));
      try {
        chosen.forEach((i, k) => compare(`input ${i}`, grads[k], xs[i].dataSync() as Float32Array, (values) => {
          const moved = tf.tensor(values, xs[i].shape, 'float32');
          try {
            return numericLoss(xs.map((x, j) => (j === i ? moved : x)));
          } finally {
            moved.dispose();
          }
        }));
      } finally {
        tf.dispose(grads);
      }
    }
    const weights = layer.trainableWeights;
    if (weights.length > 0) {
      const { value, grads } = tf.variableGrads(() => loss(xs), weights.map((w) => w.val));
      value.dispose();
      try {
        for (const w of weights) {
          const original = w.read().clone();
          try {
            compare(w.name, grads[w.val.name], original.dataSync() as Float32Array, (values) => {
              tf.tidy(() => w.write(tf.tensor(values, w.shape, 'float32')));
              return numericLoss(xs);
            });
          } finally {
            w.write(original);
            original.dispose();
          }
        }
      } finally {
        tf.dispose(Object.values(grads));
      }
    }
  } finally {
    tf.dispose(R);
    if (layer.stateful && layer.resetStates) layer.resetStates();
  }
}
