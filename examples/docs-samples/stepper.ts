// Generation one step at a time: SequenceStepper runs a trained model on one timestep per call, carrying
// the recurrent states, on plain arrays (no tensors per step).
import * as tf from '@tensorflow/tfjs';
import { Dense, Embedding, LSTM, Sequential, SequenceStepper, setSeed } from '@recurrent/core';

export function main(): { stepped: number[]; whole: number[] } {
  setSeed(4);
  const vocabulary = 20;
  // A next-token model over windows of 8 ids; the LSTM returns every step so predict gives all of them.
  const model = new Sequential({
    layers: [
      new Embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [8] }),
      new LSTM({ units: 16, returnSequences: true }),
      new Dense({ units: vocabulary, activation: 'softmax' }),
    ],
  });
  const ids = [3, 9, 4, 1, 15, 7, 2, 11];

  const stepper = new SequenceStepper(model); // reads the weights at every step
  let last: Float32Array = new Float32Array(0);
  for (const id of ids) last = stepper.step([id]); // the probabilities of the next token
  stepper.resetStates(); // a new sequence starts from zero states

  // The same as the last step of one predict over the whole window:
  const window = tf.tensor2d([ids], [1, ids.length], 'int32');
  const all = model.predict(window) as tf.Tensor;
  const whole = Array.from(all.slice([0, ids.length - 1, 0], [1, 1, vocabulary]).dataSync());
  console.log('largest difference:', Math.max(...whole.map((v, i) => Math.abs(v - last[i])))); // ~1e-8
  tf.dispose([window, all]);
  return { stepped: Array.from(last), whole };
}

if (require.main === module) main();
