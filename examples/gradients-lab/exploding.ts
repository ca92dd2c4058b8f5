/**
 * Exploding gradients and clipping: a SimpleRNN whose recurrent matrix starts as an orthogonal
 * matrix times a large gain, so that the backpropagated gradient is multiplied by up to that gain at
 * every step back in time. Trained with plain SGD three times from the same start: without clipping,
 * with `clipnorm` (each weight's gradient rescaled to norm <= 1) and with `globalClipnorm` (all of
 * them together rescaled to global norm <= 1). GradientMonitor records the global norm before
 * clipping, so the size of the raw gradient stays visible in the clipped runs.
 */
import * as tf from '@tensorflow/tfjs';
import { Callback, Dense, GradientMonitor, SGD, Sequential, SimpleRNN, setSeed } from '@recurrent/core';
import { addingProblem } from './adding_problem';
import { BatchLosses } from './batch_losses';

export const CLIPPING: { name: string; options: { clipnorm?: number; globalClipnorm?: number } }[] = [
  { name: 'no clipping', options: {} },
  { name: 'clipnorm 1', options: { clipnorm: 1 } },
  { name: 'globalClipnorm 1', options: { globalClipnorm: 1 } },
];

export interface ExplodingSettings {
  steps: number;
  units: number;
  gain: number;
  batches: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export interface ClippingRun {
  clipping: string;
  batchLosses: number[];
  globalNorms: number[];
  /** The first step (0-based) whose loss was NaN or infinite (null: never). */
  firstNonFiniteStep: number | null;
  /** The first step (0-based) after which some weight was NaN or infinite (null: never). */
  firstNonFiniteWeightsStep: number | null;
  finalLoss: number;
}

/** Notes the first training step after which a weight is no longer a finite number. */
class NonFiniteWeights extends Callback {
  firstStep: number | null = null;
  private step = 0;

  override onTrainBatchEnd(): void {
    const step = this.step++;
    if (this.firstStep !== null) return;
    const broken = this.model.trainableWeights.some((w) => w.val.dataSync().some((v) => !Number.isFinite(v)));
    if (broken) this.firstStep = step;
  }
}

export async function trainWithClipping(clipping: (typeof CLIPPING)[number], s: ExplodingSettings): Promise<ClippingRun> {
  const train = addingProblem(s.batches * s.batchSize, s.steps, s.seed);
  setSeed(s.seed);
  const model = new Sequential({
    layers: [
      new SimpleRNN({
        units: s.units,
        inputShape: [s.steps, 2],
        name: 'rnn',
        recurrentInitializer: { className: 'Orthogonal', config: { gain: s.gain } },
      }),
      new Dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: new SGD({ learningRate: s.learningRate, ...clipping.options }), loss: 'mse' });
  const monitor = new GradientMonitor({ timesteps: false });
  const losses = new BatchLosses();
  const weights = new NonFiniteWeights();
  await model.fit(train.x, train.y, { epochs: 1, batchSize: s.batchSize, shuffle: false, verbose: 0, callbacks: [monitor, losses, weights] });
  tf.dispose([train.x, train.y]);
  model.dispose();
  const broken = losses.losses.findIndex((l) => !Number.isFinite(l));
  return {
    clipping: clipping.name,
    batchLosses: losses.losses,
    globalNorms: monitor.globalNorms,
    firstNonFiniteStep: broken < 0 ? null : broken,
    firstNonFiniteWeightsStep: weights.firstStep,
    finalLoss: losses.losses[losses.losses.length - 1],
  };
}
