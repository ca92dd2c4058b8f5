/**
 * One training step and one test step on a batch. The training step is Keras's train_step:
 * forward pass in training mode, total loss, gradients of the trainable weights (tf.variableGrads),
 * clipping and the optimizer update (in the optimizer), then each weight's constraint. The loss value
 * and all metric statistics come back as one small vector read once per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelLike } from './model_like';
import type { CompiledTraining, BatchTargets } from './compiled_training';
import { getCompiled } from './compile_args';
import type { Batch } from './data_adapter';
import type { GradientInfo } from './callbacks/callback';

function forwardStatistics(model: ModelLike, compiled: CompiledTraining, batch: Batch, targets: BatchTargets, training: boolean) {
  if (batch.xs.length !== model.inputNames.length) {
    throw new Error(`The model has ${model.inputNames.length} input(s) but the batch has ${batch.xs.length}.`);
  }
  // The softmax outputs' logits come along (Keras's `_keras_logits`): the cross-entropy losses use them.
  const { outputs, masks, logits } = model.callWithMasks(batch.xs, { training, keepLogits: true });
  if (outputs.length !== model.outputNames.length) {
    throw new Error(`The model returned ${outputs.length} output(s) but declares ${model.outputNames.length} (${model.outputNames.join(', ')}).`);
  }
  return compiled.lossAndStatistics(targets, outputs, masks, model.losses, logits);
}

export interface TrainStepOptions {
  classWeight?: readonly [number, number][] | null;
  /** Compute the gradient norms (before clipping) and return them. */
  gradientNorms?: boolean;
}

/** Trains on one batch and folds its loss and metrics into the running means; returns gradient norms when asked. */
export function trainStep(model: ModelLike, batch: Batch, opts: TrainStepOptions = {}): GradientInfo | null {
  // The weights (and, for a model built from its first batch, the compiled losses) must exist before
  // the gradient scope lists them.
  model.prepareForData?.(batch.xs);
  const compiled = getCompiled(model, 'fit');
  if (!compiled.hasLoss) throw new Error('fit: no output has a loss to minimise; compile the model with a loss.');
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.val);
  const names = weights.map((w) => w.name);
  const targets: BatchTargets = { ys: batch.ys, sampleWeights: batch.sampleWeights, classWeight: opts.classWeight ?? null };
  let stats: tf.Tensor | null = null;
  let info: GradientInfo | null = null;
  try {
    if (variables.length === 0) {
      stats = tf.tidy(() => forwardStatistics(model, compiled, batch, targets, true).stats);
    } else {
      const { value, grads } = tf.variableGrads(() => {
        const r = forwardStatistics(model, compiled, batch, targets, true);
        stats = tf.keep(r.stats);
        return r.total;
      }, variables);
      value.dispose();
      const gradients = variables.map((v) => grads[v.name] ?? null);
      try {
        if (opts.gradientNorms) info = gradientInfo(names, gradients);
        compiled.optimizer.applyGradients(gradients, variables, names);
        applyConstraints(model);
      } finally {
        tf.dispose(Object.values(grads));
      }
    }
    compiled.accumulate((stats as tf.Tensor | null)!.dataSync(), batch.size);
  } finally {
    if (stats) (stats as tf.Tensor).dispose();
  }
  return info;
}

/** Evaluates one batch (inference mode) and folds its loss and metrics into the running means. */
export function testStep(model: ModelLike, batch: Batch): void {
  model.prepareForData?.(batch.xs);
  const compiled = getCompiled(model, 'evaluate');
  const targets: BatchTargets = { ys: batch.ys, sampleWeights: batch.sampleWeights };
  const stats = tf.tidy(() => forwardStatistics(model, compiled, batch, targets, false).stats);
  try {
    compiled.accumulate(stats.dataSync(), batch.size);
  } finally {
    stats.dispose();
  }
}

/** Projects every constrained weight after an update (Keras applies constraints after the optimizer step). */
export function applyConstraints(model: ModelLike): void {
  for (const w of model.trainableWeights) {
    const c = w.constraint;
    if (c) tf.tidy(() => w.val.assign(c.apply(w.val)));
  }
}

function gradientInfo(names: string[], gradients: (tf.Tensor | null)[]): GradientInfo {
  const squares = tf.tidy(() => tf.stack(gradients.map((g) => (g === null ? tf.scalar(0) : g.square().sum()))));
  const values = squares.dataSync();
  squares.dispose();
  const norms = Array.from(values, (s) => Math.sqrt(s));
  const globalNorm = Math.sqrt(Array.from(values).reduce((a, b) => a + b, 0));
  return { variableNames: names, norms, globalNorm };
}
