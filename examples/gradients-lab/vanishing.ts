/**
 * Vanishing gradients made visible: SimpleRNN, LSTM and GRU layers of the same width, Keras's default
 * initialisation, trained on the adding problem. GradientMonitor records, at every recorded step,
 * the norm of dLoss/dh_t at each timestep t as the fused kernel's backward pass computes it: how much
 * the loss still "hears" of the state at step t. A flat curve means the loss reaches back to the
 * first steps; a curve falling towards 1e-20 means the early steps get no learning signal at all.
 */
import * as tf from '@tensorflow/tfjs';
import { Adam, Dense, GRU, GradientMonitor, LSTM, Sequential, SimpleRNN, setSeed, type Layer } from '@recurrent/core';
import { addingProblem } from './adding_problem';
import { BatchLosses } from './batch_losses';

export const CELLS: { name: string; make: (units: number, steps: number) => Layer }[] = [
  { name: 'SimpleRNN', make: (units, steps) => new SimpleRNN({ units, inputShape: [steps, 2], name: 'rnn' }) },
  { name: 'LSTM', make: (units, steps) => new LSTM({ units, inputShape: [steps, 2], name: 'rnn' }) },
  { name: 'GRU', make: (units, steps) => new GRU({ units, inputShape: [steps, 2], name: 'rnn' }) },
];

export interface VanishingSettings {
  steps: number;
  units: number;
  batches: number;
  batchSize: number;
  epochs: number;
  learningRate: number;
  recordEvery: number;
  seed: number;
}

export interface CellRun {
  cell: string;
  seconds: number;
  batchLosses: number[];
  /** ||dLoss/dh_t|| for t = 1..steps, at the first training step and at the last recorded one. */
  dhAtStart: number[];
  dhAtEnd: number[];
  /** The training steps those two curves were recorded at. */
  dhSteps: [number, number];
  heldOutMse: number;
}

export async function trainCell(cell: (typeof CELLS)[number], s: VanishingSettings): Promise<CellRun> {
  const train = addingProblem(s.batches * s.batchSize, s.steps, s.seed);
  const heldOut = addingProblem(1000, s.steps, s.seed + 1);
  setSeed(s.seed);
  const model = new Sequential({ layers: [cell.make(s.units, s.steps), new Dense({ units: 1 })] });
  model.compile({ optimizer: new Adam({ learningRate: s.learningRate }), loss: 'mse' });
  const monitor = new GradientMonitor({ every: s.recordEvery });
  const losses = new BatchLosses();
  const started = Date.now();
  await model.fit(train.x, train.y, { epochs: s.epochs, batchSize: s.batchSize, verbose: 0, callbacks: [monitor, losses] });
  const seconds = (Date.now() - started) / 1000;
  const curves = monitor.timestepNorms['rnn'];
  const at = monitor.timestepSteps['rnn'];
  if (curves === undefined || curves.length === 0) {
    throw new Error(`no per-timestep gradient norms were recorded for ${cell.name}: the layer did not run the fused kernel`);
  }
  const mse = tf.tidy(() => tf.losses.meanSquaredError(heldOut.y, model.predict(heldOut.x) as tf.Tensor).dataSync()[0]);
  tf.dispose([train.x, train.y, heldOut.x, heldOut.y]);
  model.dispose();
  return {
    cell: cell.name,
    seconds,
    batchLosses: losses.losses,
    dhAtStart: curves[0],
    dhAtEnd: curves[curves.length - 1],
    dhSteps: [at[0], at[at.length - 1]],
    heldOutMse: mse,
  };
}
