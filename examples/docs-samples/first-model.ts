// A first model: an LSTM that reads 20 numbers and tells whether they add up to more than zero.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense, LSTM, Sequential, loadModel, saveModel, setSeed } from '@recurrent/core';

export async function main(): Promise<number> {
  setSeed(7); // weights, shuffling and dropout become reproducible

  // 2,000 sequences of 20 steps with 1 feature each; label 1 when the sum is positive.
  const x = tf.randomNormal([2000, 20, 1], 0, 1, 'float32', 7);
  const y = tf.tidy(() => tf.greater(tf.sum(x, [1, 2]), 0).cast('float32').reshape([2000, 1]));

  const model = new Sequential({
    layers: [
      new LSTM({ units: 16, inputShape: [20, 1] }), // many-to-one: only the last output
      new Dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.summary();
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 8, batchSize: 32, validationSplit: 0.2, verbose: 2 });
  const accuracy = history.history.val_accuracy.at(-1)!;
  console.log(`validation accuracy after 8 epochs: ${accuracy.toFixed(3)}`);

  // Save (TensorFlow.js layers format: model.json + weights.bin) and load it back.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-model-'));
  saveModel(model, dir);
  const restored = await loadModel(dir);
  const probe = tf.tensor3d([Array.from({ length: 20 }, () => [0.3]), Array.from({ length: 20 }, () => [-0.3])]);
  (restored.predict(probe) as tf.Tensor).print(); // close to [[1], [0]]

  tf.dispose([x, y, probe]);
  return accuracy;
}

if (require.main === module) main();
