/**
 * Activations of the fused kernels over ranges of a Float32Array, in place, and their derivatives
 * expressed through the activation's OUTPUT (so the backward pass only needs the activated values the
 * forward stored, never the pre-activations).
 */
import type { KernelActivation } from '../spec';

/** Applies `activation` in place to a[offset .. offset+length). */
export function activateInPlace(activation: KernelActivation, a: Float32Array, offset: number, length: number): void {
  const end = offset + length;
  switch (activation) {
    case 'tanh':
      for (let i = offset; i < end; i++) a[i] = Math.tanh(a[i]);
      return;
    case 'sigmoid':
      for (let i = offset; i < end; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
      return;
    case 'hard_sigmoid': // Keras 3: relu6(x + 3) / 6
      for (let i = offset; i < end; i++) {
        const v = a[i] / 6 + 0.5;
        a[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return;
    case 'hard_sigmoid_legacy': // Keras 2 and tfjs
      for (let i = offset; i < end; i++) {
        const v = 0.2 * a[i] + 0.5;
        a[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return;
    case 'relu':
      for (let i = offset; i < end; i++) if (!(a[i] > 0)) a[i] = 0;
      return;
    case 'linear':
      return;
    default:
      throw new Error(`activation: '${String(activation)}' is not supported by the fused kernels`);
  }
}

/**
 * Multiplies g[gOffset + i] by the derivative of `activation`, given its output y[yOffset + i], for
 * i < length. The clipping activations pass the gradient only strictly inside the linear region, as
 * relu6 does; relu passes it where the output is positive.
 */
export function scaleByDerivative(
  activation: KernelActivation,
  g: Float32Array,
  gOffset: number,
  y: Float32Array,
  yOffset: number,
  length: number,
): void {
  switch (activation) {
    case 'tanh':
      for (let i = 0; i < length; i++) {
        const v = y[yOffset + i];
        g[gOffset + i] *= 1 - v * v;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < length; i++) {
        const v = y[yOffset + i];
        g[gOffset + i] *= v * (1 - v);
      }
      return;
    case 'hard_sigmoid':
    case 'hard_sigmoid_legacy': {
      const slope = activation === 'hard_sigmoid' ? 1 / 6 : 0.2;
      for (let i = 0; i < length; i++) {
        const v = y[yOffset + i];
        g[gOffset + i] *= v > 0 && v < 1 ? slope : 0;
      }
      return;
    }
    case 'relu':
      for (let i = 0; i < length; i++) if (!(y[yOffset + i] > 0)) g[gOffset + i] = 0;
      return;
    case 'linear':
      return;
    default:
      throw new Error(`activation: '${String(activation)}' is not supported by the fused kernels`);
  }
}

/** Derivative of `activation` at a single output value y (used inside fused element loops). */
export function derivativeAt(activation: KernelActivation, y: number): number {
  switch (activation) {
    case 'tanh':
      return 1 - y * y;
    case 'sigmoid':
      return y * (1 - y);
    case 'hard_sigmoid':
      return y > 0 && y < 1 ? 1 / 6 : 0;
    case 'hard_sigmoid_legacy':
      return y > 0 && y < 1 ? 0.2 : 0;
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'linear':
      return 1;
    default:
      throw new Error(`activation: '${String(activation)}' is not supported by the fused kernels`);
  }
}
