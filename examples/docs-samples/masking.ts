// Masking: padded timesteps are skipped, so padding does not change what a recurrent layer computes.
import * as tf from '@tensorflow/tfjs';
import { Embedding, LSTM, Masking, Sequential, padSequences, setSeed } from '@recurrent/core';

const rows = (t: tf.Tensor) => t.arraySync() as number[][];

export function main(): { padded: number[]; alone: number[]; masked: number[]; unpadded: number[] } {
  setSeed(1);
  // Token ids, 0 = padding. Embedding(maskZero) emits the mask (id != 0) and the LSTM follows it.
  const model = new Sequential({
    layers: [new Embedding({ inputDim: 10, outputDim: 4, maskZero: true }), new LSTM({ units: 3 })],
  });
  const batch = padSequences([[4, 2, 7], [5, 1]], { padding: 'post' }); // [[4, 2, 7], [5, 1, 0]]
  const padded = model.predict(batch) as tf.Tensor;
  const alone = model.predict(tf.tensor2d([[5, 1]], [1, 2], 'int32')) as tf.Tensor;
  // The second row's output is the state after its last real token, as if there were no padding.
  console.log(rows(padded)[1], rows(alone)[0]); // the same numbers

  // Float features: Masking(maskValue) masks the steps whose features all equal maskValue.
  const features = new Sequential({ layers: [new Masking({ maskValue: 0, inputShape: [null, 2] }), new LSTM({ units: 3 })] });
  const withPadding = features.predict(tf.tensor3d([[[0.5, 1], [1, -1], [0, 0], [0, 0]]])) as tf.Tensor;
  const withoutPadding = features.predict(tf.tensor3d([[[0.5, 1], [1, -1]]])) as tf.Tensor;
  console.log(rows(withPadding)[0], rows(withoutPadding)[0]); // the same numbers

  const result = { padded: rows(padded)[1], alone: rows(alone)[0], masked: rows(withPadding)[0], unpadded: rows(withoutPadding)[0] };
  tf.dispose([batch, padded, alone, withPadding, withoutPadding]);
  return result;
}

if (require.main === module) main();
