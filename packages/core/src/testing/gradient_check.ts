/**
 * Gradients of a layer against central finite differences: tf's gradients of sum(output * R) (R fixed
 * random weights, one tensor per output) with respect to the float inputs and the trainable weights are
 * compared, at evenly spread entries, with (loss(x + eps) - loss(x - eps)) / 2 eps computed from the
 * forward pass alone. Test support: not shipped.
 */
import * as tf from '@tensorflow/tfjs';
import type { CallKwargs, Layer } from '../engine/layer';
import type { Tensor } from '../engine/types';

export interface GradientCheckOptions {
  /** Call options for every call (training, masks, attention options...). */
  callArgs?: CallKwargs;
  /** Which inputs to differentiate (default: every float32 input). */
  inputs?: number[];
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Entries checked per tensor (evenly spread). */
  samples?: number;
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** Throws naming the first entry whose analytic and numeric derivatives disagree. */
export function checkLayerGradients(layer: Layer, data: Tensor | Tensor[], opts: GradientCheckOptions = {}): void {
  const { eps = 1e-2, atol = 2e-3, rtol = 2e-2, samples = 12 } = opts;
  const xs = list(data);
  const call = (inputs: Tensor[]) => list(layer.apply(Array.isArray(data) ? inputs : inputs[0], opts.callArgs ?? {}));
  const shapes = tf.tidy(() => call(xs).map((t) => [...t.shape]));
  const weights = shapes.map((s, k) => tf.randomNormal(s, 0, 1, 'float32', 7 + k));
  const weightValues = weights.map((w) => w.dataSync());
  const loss = (inputs: Tensor[]) => tf.addN(call(inputs).map((o, k) => tf.sum(tf.mul(o, weights[k])))) as tf.Scalar;
  const numericLoss = (inputs: Tensor[]) => tf.tidy(() => {
    let total = 0;
    call(inputs).forEach((o, k) => o.dataSync().forEach((v, i) => (total += v * weightValues[k][i])));
    return total;
  });
  const differentiated = opts.inputs ?? xs.map((x, i) => (x.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);

  const compare = (label: string, analytic: Tensor, base: Float32Array, perturb: (values: Float32Array) => number) => {
    const a = analytic.dataSync();
    const stride = Math.max(1, Math.floor(base.length / samples));
    for (let i = 0; i < base.length; i += stride) {
      const at = (delta: number) => {
        const values = base.slice();
        values[i] += delta;
        return perturb(values);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      if (!(Math.abs(a[i] - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(`${layer.describe()}: gradient of ${label}[${i}] is ${a[i]}, finite differences give ${numeric}.`);
      }
    }
  };

  const inputGrads = tf.grads((...chosen: Tensor[]) => loss(xs.map((x, i) => (differentiated.includes(i) ? chosen[differentiated.indexOf(i)] : x))))(
    differentiated.map((i) => xs[i]),
  );
  differentiated.forEach((i, k) => {
    const x = xs[i];
    compare(`input ${i}`, inputGrads[k], x.dataSync() as Float32Array, (values) => {
      const moved = tf.tensor(values, x.shape);
      const result = numericLoss(xs.map((other, j) => (j === i ? moved : other)));
      moved.dispose();
      return result;
    });
  });

  const variables = layer.trainableWeights;
  if (variables.length > 0) {
    const { value, grads } = tf.variableGrads(() => loss(xs), variables.map((w) => w.val));
    value.dispose();
    for (const w of variables) {
      const original = w.read().clone();
      compare(w.name, grads[w.val.name], original.dataSync() as Float32Array, (values) => {
        tf.tidy(() => w.write(tf.tensor(values, w.shape)));
        const result = numericLoss(xs);
        w.write(original);
        return result;
      });
      original.dispose();
    }
    tf.dispose(Object.values(grads));
  }
  tf.dispose([...weights, ...inputGrads]);
}
