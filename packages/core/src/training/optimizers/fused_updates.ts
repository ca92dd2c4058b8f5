/**
 * The update rules of the fused path (see fused_rule.ts), one loop per rule. Each loop clips the
 * gradient element, applies the decoupled weight decay, then the rule, in float64, and stores the
 * results rounded to float32. The formulas are the Keras 3 ones of the op-based rules beside them
 * (sgd.ts, adam.ts, rmsprop.ts, adagrad.ts); mind where each puts epsilon.
 */
import type { FusedInputs, FusedResult } from './fused_rule';

/** clamp(g * scale, -limit, limit); a NaN element stays NaN, as with tf.clipByValue. */
function clippedGradient(g: number, scale: number, limit: number): number {
  const x = g * scale;
  return x > limit ? limit : x < -limit ? -limit : x;
}

/** w - w * decay; skipped when decay is 0 so that an infinite weight stays infinite, as on the op path. */
function decayedWeight(w: number, decay: number): number {
  return decay === 0 ? w : w - w * decay;
}

/** m = momentum * m - lr * g; w += m (or, Nesterov, w += momentum * m - lr * g); without momentum w -= lr * g. */
export function fusedSGD(inputs: FusedInputs, momentumSlot: Float32Array | null, momentum: number, nesterov: boolean): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay, learningRate: lr } = inputs;
  const n = weights.length;
  const newWeights = new Float32Array(n);
  if (momentumSlot === null) {
    for (let i = 0; i < n; i++) {
      const g = clippedGradient(gradient[i], gradientScale, clipValue);
      newWeights[i] = decayedWeight(weights[i], decay) - lr * g;
    }
    return { weights: newWeights, slots: {} };
  }
  const newMomentum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const m = momentum * momentumSlot[i] - lr * g;
    newMomentum[i] = m;
    const w = decayedWeight(weights[i], decay);
    newWeights[i] = nesterov ? w + (momentum * m - lr * g) : w + m;
  }
  return { weights: newWeights, slots: { momentum: newMomentum } };
}

export interface FusedAdamSlots {
  momentum: Float32Array;
  velocity: Float32Array;
  /** Only with amsgrad. */
  velocityHat: Float32Array | null;
}

/**
 * m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); amsgrad: vHat = max(vHat, v);
 * w -= alpha * m / (sqrt(v or vHat) + epsilon), with alpha the bias-corrected step size of this step.
 */
export function fusedAdam(inputs: FusedInputs, slots: FusedAdamSlots, alpha: number, beta1: number, beta2: number, epsilon: number): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay } = inputs;
  const { momentum, velocity, velocityHat } = slots;
  const n = weights.length;
  const newWeights = new Float32Array(n);
  const newMomentum = new Float32Array(n);
  const newVelocity = new Float32Array(n);
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  if (velocityHat === null) {
    for (let i = 0; i < n; i++) {
      const g = clippedGradient(gradient[i], gradientScale, clipValue);
      const m = momentum[i] + (g - momentum[i]) * oneMinusBeta1;
      const v = velocity[i] + (g * g - velocity[i]) * oneMinusBeta2;
      newMomentum[i] = m;
      newVelocity[i] = v;
      newWeights[i] = decayedWeight(weights[i], decay) - (alpha * m) / (Math.sqrt(v) + epsilon);
    }
    return { weights: newWeights, slots: { momentum: newMomentum, velocity: newVelocity } };
  }
  const newVelocityHat = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const m = momentum[i] + (g - momentum[i]) * oneMinusBeta1;
    const v = velocity[i] + (g * g - velocity[i]) * oneMinusBeta2;
    // Math.max propagates NaN like tf.maximum on 'cpu'.
    const vHat = Math.max(velocityHat[i], v);
    newMomentum[i] = m;
    newVelocity[i] = v;
    newVelocityHat[i] = vHat;
    newWeights[i] = decayedWeight(weights[i], decay) - (alpha * m) / (Math.sqrt(vHat) + epsilon);
  }
  return { weights: newWeights, slots: { momentum: newMomentum, velocity: newVelocity, velocity_hat: newVelocityHat } };
}

export interface FusedRMSpropSlots {
  velocity: Float32Array;
  /** Only with momentum > 0. */
  momentum: Float32Array | null;
  /** Only when centered. */
  averageGradient: Float32Array | null;
}

/**
 * velocity = rho * velocity + (1 - rho) g^2; centered: avg = rho * avg + (1 - rho) g;
 * increment = lr * g / sqrt(velocity [- avg^2] + epsilon)   (epsilon inside the square root);
 * momentum > 0: mom = momentum * mom + increment, w -= mom; otherwise w -= increment.
 */
export function fusedRMSprop(inputs: FusedInputs, slots: FusedRMSpropSlots, rho: number, momentum: number, epsilon: number): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay, learningRate: lr } = inputs;
  const { velocity, momentum: momentumSlot, averageGradient } = slots;
  const n = weights.length;
  const oneMinusRho = 1 - rho;
  const newWeights = new Float32Array(n);
  const newVelocity = new Float32Array(n);
  const newMomentum = momentumSlot === null ? null : new Float32Array(n);
  const newAverage = averageGradient === null ? null : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const v = rho * velocity[i] + oneMinusRho * g * g;
    newVelocity[i] = v;
    let denominator: number;
    if (newAverage !== null) {
      const avg = rho * averageGradient![i] + oneMinusRho * g;
      newAverage[i] = avg;
      denominator = v - avg * avg + epsilon;
    } else {
      denominator = v + epsilon;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    const w = decayedWeight(weights[i], decay);
    if (newMomentum !== null) {
      const mom = momentum * momentumSlot![i] + increment;
      newMomentum[i] = mom;
      newWeights[i] = w - mom;
    } else {
      newWeights[i] = w - increment;
    }
  }
  const newSlots: Record<string, Float32Array> = { velocity: newVelocity };
  if (newMomentum !== null) newSlots.momentum = newMomentum;
  if (newAverage !== null) newSlots.average_gradient = newAverage;
  return { weights: newWeights, slots: newSlots };
}

/** accumulator += g^2; w -= lr * g / sqrt(accumulator + epsilon). */
export function fusedAdagrad(inputs: FusedInputs, accumulator: Float32Array, epsilon: number): FusedResult {
  const { gradient, weights, gradientScale, clipValue, decay, learningRate: lr } = inputs;
  const n = weights.length;
  const newWeights = new Float32Array(n);
  const newAccumulator = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = clippedGradient(gradient[i], gradientScale, clipValue);
    const acc = accumulator[i] + g * g;
    newAccumulator[i] = acc;
    newWeights[i] = decayedWeight(weights[i], decay) - (lr * g) / Math.sqrt(acc + epsilon);
  }
  return { weights: newWeights, slots: { accumulator: newAccumulator } };
}
