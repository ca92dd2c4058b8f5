// Stateful layers: the state at the end of one batch is the initial state of the next.
import * as tf from '@tensorflow/tfjs';
import { Dense, GRU, Sequential, TimeDistributed, setSeed } from '@recurrent/core';

export function main(): { whole: number[]; chunked: number[] } {
  setSeed(3);
  // A stateful model needs a fixed batch size: batchInputShape [batch, time, features]. Time may be null.
  const model = new Sequential({
    layers: [
      new GRU({ units: 8, stateful: true, returnSequences: true, batchInputShape: [1, null, 2] }),
      new TimeDistributed({ layer: new Dense({ units: 1 }) }),
    ],
  });
  const sequence = tf.randomNormal([1, 12, 2], 0, 1, 'float32', 3);

  const whole = model.predict(sequence) as tf.Tensor; // 12 steps at once
  model.resetStates(); // back to zeros: a new, independent sequence starts

  // The same 12 steps in three chunks of 4: the state carries over between the calls.
  const chunks = [0, 4, 8].map((start) => model.predict(sequence.slice([0, start, 0], [1, 4, 2])) as tf.Tensor);
  const chunked = tf.concat(chunks, 1);
  console.log('largest difference:', tf.max(tf.abs(tf.sub(whole, chunked))).dataSync()[0]); // ~1e-7
  model.resetStates();

  const result = { whole: Array.from(whole.dataSync()), chunked: Array.from(chunked.dataSync()) };
  tf.dispose([sequence, whole, chunked, ...chunks]);
  return result;
}

if (require.main === module) main();
