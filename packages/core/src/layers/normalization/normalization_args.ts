/**
 * What LayerNormalization and BatchNormalization share: the learned scale (gamma) and offset (beta),
 * each with its initializer, regularizer and constraint, and the normalization formula as TensorFlow
 * writes it (tf.nn.batch_normalization): x * inv + (beta - mean * inv) with inv = gamma / sqrt(var + eps).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getConstraint } from '../../constraints';
import type { Constraint } from '../../constraints/constraint';
import type { Layer } from '../../engine/layer';
import { constraintSchema, initializerSchema, regularizerSchema } from '../../engine/schema_parts';
import { serializeOptional } from '../../engine/serialization';
import type { Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import type { Initializer } from '../../initializers/initializer';
import { getInitializer, type InitializerIdentifier } from '../../initializers/lookup';
import { getRegularizer, type RegularizerIdentifier } from '../../regularizers';
import type { Regularizer } from '../../regularizers/regularizer';
import type { ConstraintIdentifier } from '../../constraints';
import { nonNegativeNumber } from '../activations/activation_args';

/** Schema keys of the scale and offset (spread into a layer's schema). */
export const scaleOffsetArgsShape = {
  epsilon: nonNegativeNumber().optional(),
  /** Add the learned offset beta. */
  center: z.boolean().optional(),
  /** Multiply by the learned scale gamma. */
  scale: z.boolean().optional(),
  betaInitializer: initializerSchema.optional(),
  gammaInitializer: initializerSchema.optional(),
  betaRegularizer: regularizerSchema.optional(),
  gammaRegularizer: regularizerSchema.optional(),
  betaConstraint: constraintSchema.optional(),
  gammaConstraint: constraintSchema.optional(),
};

interface ScaleOffsetArgs {
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** The resolved scale and offset options, with Keras's defaults (epsilon 1e-3, gamma ones, beta zeros). */
export class ScaleOffset {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;

  constructor(a: ScaleOffsetArgs) {
    this.epsilon = a.epsilon ?? 1e-3;
    this.center = a.center ?? true;
    this.scale = a.scale ?? true;
    this.betaInitializer = getInitializer(a.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(a.gammaInitializer ?? 'ones');
    this.betaRegularizer = a.betaRegularizer ? getRegularizer(a.betaRegularizer) : null;
    this.gammaRegularizer = a.gammaRegularizer ? getRegularizer(a.gammaRegularizer) : null;
    this.betaConstraint = a.betaConstraint ? getConstraint(a.betaConstraint) : null;
    this.gammaConstraint = a.gammaConstraint ? getConstraint(a.gammaConstraint) : null;
  }

  /** Declares gamma (with `scale`) then beta (with `center`), Keras's order. */
  addWeights(layer: Layer, shape: number[], opts: { scale?: boolean; center?: boolean } = {}): { gamma: LayerVariable | null; beta: LayerVariable | null } {
    const gamma = opts.scale ?? this.scale
      ? layer.addWeight('gamma', shape, { initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint })
      : null;
    const beta = opts.center ?? this.center
      ? layer.addWeight('beta', shape, { initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint })
      : null;
    return { gamma, beta };
  }

  getConfig(): Record<string, unknown> {
    return {
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      betaRegularizer: serializeOptional(this.betaRegularizer),
      gammaRegularizer: serializeOptional(this.gammaRegularizer),
      betaConstraint: serializeOptional(this.betaConstraint),
      gammaConstraint: serializeOptional(this.gammaConstraint),
    };
  }
}

/** tf.nn.batch_normalization's arithmetic; every statistic and parameter already broadcasts against x. */
export function normalize(x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): Tensor {
  return tf.tidy(() => {
    let inv = tf.rsqrt(tf.add(variance, epsilon));
    if (gamma) inv = tf.mul(inv, gamma);
    const shift = beta ? tf.sub(beta, tf.mul(mean, inv)) : tf.neg(tf.mul(mean, inv));
    return tf.add(tf.mul(x, inv), shift);
  });
}

/** Positive axes, checked against the rank. */
export function canonicalAxes(axes: number[], rank: number, where: string): number[] {
  const out = axes.map((a) => (a < 0 ? a + rank : a));
  if (out.some((a) => a < 0 || a >= rank)) throw new Error(`${where}: axis ${JSON.stringify(axes.length === 1 ? axes[0] : axes)} is out of range for inputs of rank ${rank}.`);
  if (new Set(out).size !== out.length) throw new Error(`${where}: axis ${JSON.stringify(axes)} names an axis twice.`);
  return out;
}
