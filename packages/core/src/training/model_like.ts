/**
 * The part of a model that the training engine uses. The real `Model` (models/model.ts) satisfies it;
 * tests use small hand-built models. Keeping the engine on this interface means training never reaches
 * into layer internals.
 */
import type * as tf from '@tensorflow/tfjs';
import type { EstimateOptions, MemoryEstimate } from '../models/memory_estimate';

/** A projection applied to a weight after each optimizer step (constraints/constraint.ts). */
export interface ConstraintLike {
  apply(w: tf.Tensor): tf.Tensor;
}

/** A trainable weight: its variable, the constraint to apply after updates, its Keras-style name. */
export interface WeightLike {
  readonly name: string;
  readonly val: tf.Variable;
  readonly constraint: ConstraintLike | null;
}

/** A layer as seen by the gradient monitor: a name and the weights it owns. */
export interface LayerLike {
  readonly name: string;
  readonly trainableWeights: readonly WeightLike[];
}

export interface ModelLike {
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly layers: readonly LayerLike[];
  /** Weights updated by the optimizer, in a stable order. */
  readonly trainableWeights: readonly WeightLike[];
  /** Regularization and activity penalties, computed on demand (inside the gradient scope). */
  readonly losses: tf.Tensor[];
  /**
   * Eager forward pass returning each output and its mask (null when the output carries none); with
   * `keepLogits`, also the logits of each output that is a softmax over its last axis (else null).
   */
  callWithMasks(
    inputs: tf.Tensor[],
    opts: { training: boolean; keepLogits?: boolean },
  ): { outputs: tf.Tensor[]; masks: (tf.Tensor | null)[]; logits?: (tf.Tensor | null)[] };
  /**
   * The outputs of one forward pass in inference mode as tensors the caller owns (what predictOnBatch
   * returns); without it, predictOnBatch runs callWithMasks and takes its outputs.
   */
  predictOutputs?(inputs: tf.Tensor[]): tf.Tensor[];
  /** Builds a model whose input shape is only known from data (a Sequential without inputShape). */
  prepareForData?(inputs: tf.Tensor[]): void;
  readonly stateful: boolean;
  resetStates(): void;
  /** Set by callbacks (EarlyStopping, TerminateOnNaN) to end fit after the current batch. */
  stopTraining: boolean;
  getWeights(): tf.Tensor[];
  setWeights(values: tf.Tensor[]): void;
  /** What training it would take in memory, checked before the first step (models/memory_estimate.ts). */
  memoryEstimate?(opts: EstimateOptions): MemoryEstimate;
}
