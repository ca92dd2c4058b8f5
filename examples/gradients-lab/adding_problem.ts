/**
 * The adding problem (Hochreiter and Schmidhuber, 1997), a standard long-range task: each sequence has
 * two features per step, a random value in [0, 1) and a marker that is 1 at exactly two steps, one in
 * each half of the sequence. The target is the sum of the two marked values. Answering with the
 * mean (1.0) scores an MSE of 1/6 = 0.167; doing better requires carrying a value across up to the
 * whole sequence, so the gradient must flow back that far.
 */
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '@recurrent/core';

/** The MSE of always answering 1, the mean of the target (the variance of a sum of two U(0,1)). */
export const MEAN_GUESS_MSE = 1 / 6;

export function addingProblem(count: number, steps: number, seed: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  if (steps < 2) throw new Error(`addingProblem: steps must be at least 2, got ${steps}`);
  const random = new SeededRandom(seed);
  const half = Math.floor(steps / 2);
  const x = new Float32Array(count * steps * 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const first = random.nextInt(half);
    const second = half + random.nextInt(steps - half);
    for (let t = 0; t < steps; t++) {
      const value = random.next();
      x[(i * steps + t) * 2] = value;
      if (t === first || t === second) {
        x[(i * steps + t) * 2 + 1] = 1;
        y[i] += value;
      }
    }
  }
  return { x: tf.tensor3d(x, [count, steps, 2]), y: tf.tensor2d(y, [count, 1]) };
}
