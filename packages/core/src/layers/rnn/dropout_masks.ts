import * as tf from '@tensorflow/tfjs';
import { nextSeed } from '../../engine/random';

/**
 * Keras applies recurrent-cell dropout only for a rate strictly between 0 and 1 (a rate of 1 is
 * treated as "no dropout", not "drop everything"), and only in training.
 */
export function dropoutActive(rate: number, training: boolean): boolean {
  return training && rate > 0 && rate < 1;
}

/**
 * A reproducible stream of seeds for one cell's dropout masks, like Keras's SeedGenerator: with an
 * explicit seed, two cells built with the same seed draw the same masks call after call; without
 * one, the base seed comes from the global generator (reproducible after setSeed).
 */
export class DropoutSeedStream {
  private readonly base: number;
  private draws = 0;

  constructor(seed: number | null | undefined) {
    this.base = seed ?? nextSeed();
  }

  next(): number {
    this.draws += 1;
    return mixSeed(this.base, this.draws);
  }

  /** Draws made so far: with the base seed (fixed at construction), the stream's whole state, so a
   * training checkpoint can save it and a resumed run continue with the same masks. */
  get state(): number {
    return this.draws;
  }

  set state(draws: number) {
    if (!Number.isInteger(draws) || draws < 0) throw new Error(`DropoutSeedStream: state must be a non-negative integer, got ${draws}.`);
    this.draws = draws;
  }
}

/** A 32-bit integer hash of (base, counter), so consecutive draws give unrelated streams. */
function mixSeed(base: number, counter: number): number {
  let h = (Math.floor(base) ^ Math.imul(counter, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Inverted-dropout multipliers of shape [batch, size]: 0 with probability `rate`, else 1/(1-rate).
 * The same mask is reused at every timestep of one call (Keras's DropoutRNNCell), and it is what
 * the fused kernel receives as inputDropoutMask / recurrentDropoutMask.
 */
export function createDropoutMask(batch: number, size: number, rate: number, seed: number): tf.Tensor2D {
  if (!(rate > 0 && rate < 1)) {
    throw new Error(`createDropoutMask: rate must be in (0, 1), got ${rate}.`);
  }
  return tf.tidy(() => {
    const draw = tf.randomUniform([batch, size], 0, 1, 'float32', seed);
    return tf.cast(tf.greaterEqual(draw, rate), 'float32').mul(1 / (1 - rate)) as tf.Tensor2D;
  });
}

/** The fixed masks one cell uses during one layer call (null where that dropout is off). */
export interface CellDropoutMasks {
  input: tf.Tensor2D | null;
  recurrent: tf.Tensor2D | null;
}
