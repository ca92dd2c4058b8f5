/** Scalar losses over a sequence result, shared by the comparison tests. */
import * as tf from '@tensorflow/tfjs';
import type { RecurrentSequenceResult } from '../../ops/recurrent_sequence';
import type { RandomCase } from './random_case';

/** sum(outputs*wOut) + sum(h*wH) (+ sum(c*wC)), so every output carries a distinct gradient. */
export function weightedLoss(result: RecurrentSequenceResult, c: RandomCase): tf.Scalar {
  const r = c.request;
  const w = c.lossWeights;
  let loss = tf.add(
    tf.sum(tf.mul(result.outputs, tf.tensor3d(w.outputs, [r.batch, r.time, r.units]))),
    tf.sum(tf.mul(result.h, tf.tensor2d(w.h, [r.batch, r.units]))),
  );
  if (result.c !== null && w.c !== null) loss = tf.add(loss, tf.sum(tf.mul(result.c, tf.tensor2d(w.c, [r.batch, r.units]))));
  return loss as tf.Scalar;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
