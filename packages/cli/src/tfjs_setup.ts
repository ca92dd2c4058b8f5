import * as tf from '@tensorflow/tfjs';
import '@recurrent/kernels';

/**
 * Silences tfjs's one-time "looks like you are running TensorFlow.js in Node.js" notice, which would
 * otherwise land in the middle of command output; `recurrent info` says which backend runs.
 */
export function quietTfjs(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (backend !== undefined && typeof backend.firstUse === 'boolean') backend.firstUse = false;
}
