import type * as tf from '@tensorflow/tfjs';

/**
 * What the command's training loop needs from a compiled model. Kept narrow so that the loop, the
 * checkpoints and their tests do not depend on the rest of the model API.
 */
export interface TrainingModel {
  /**
   * One gradient step on a batch. Returns the running loss and metrics by name ('loss', 'accuracy'...)
   * since the last reset; `resetMetrics` starts a new running period with this batch.
   */
  trainOnBatch(xs: tf.Tensor[], ys: tf.Tensor[], resetMetrics: boolean): Promise<Record<string, number>>;
  /** Running loss and metrics without training (same reset rule). */
  testOnBatch(xs: tf.Tensor[], ys: tf.Tensor[], resetMetrics: boolean): Promise<Record<string, number>>;
  /** Stateful models carry states between batches and reset them after each epoch. */
  readonly stateful: boolean;
  resetStates(): void;
  /** Model weights in a stable order (new tensors; the caller disposes them). */
  getWeights(): tf.Tensor[];
  setWeights(values: tf.Tensor[]): void;
  /** Optimizer state (iteration count, moments...) for exact resumption. */
  getOptimizerWeights(): { names: string[]; values: tf.Tensor[] };
  setOptimizerWeights(values: tf.Tensor[]): void;
  /** The learning rate as a double (null for a schedule): optimizer state stores it as float32, which
   * would change the updates slightly after a resumption. */
  getLearningRate(): number | null;
  /** States of the model's random streams (dropout masks), in a fixed order. */
  getRandomState(): number[];
  setRandomState(states: number[]): void;
  setLearningRate(value: number): void;
  /** Set by callbacks to stop after the current batch. */
  stopTraining: boolean;
}
