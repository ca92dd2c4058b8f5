// Saving and loading: TensorFlow.js layers files, with the optimizer state to resume training exactly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense, LSTM, Sequential, loadModel, modelToJSON, saveModel, setSeed } from '@recurrent/core';

export async function main(): Promise<{ files: string[]; sameOutput: boolean }> {
  setSeed(11);
  const x = tf.randomNormal([64, 5, 3], 0, 1, 'float32', 11);
  const y = tf.randomNormal([64, 1], 0, 1, 'float32', 12);
  const model = new Sequential({ layers: [new LSTM({ units: 8, inputShape: [5, 3] }), new Dense({ units: 1 })] });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(x, y, { epochs: 2, verbose: 0 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saved-'));
  saveModel(model, dir, { includeOptimizer: true }); // written atomically: a crash leaves the old files intact
  const files = fs.readdirSync(dir).sort();
  console.log(files.join(', ')); // model.json, optimizer.bin, optimizer.json, weights.bin

  const restored = await loadModel(dir); // compiled again from the saved training config
  const a = model.predict(x) as tf.Tensor;
  const b = restored.predict(x) as tf.Tensor;
  const sameOutput = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] === 0;
  await restored.fit(x, y, { epochs: 1, verbose: 0 }); // Adam continues with its saved moments

  // The topology alone, as Keras JSON: 'tfjs' (what tf.loadLayersModel reads) or 'keras3'.
  const keras3 = JSON.parse(modelToJSON(model, { dialect: 'keras3' }));
  console.log(keras3.config.layers[0].class_name, keras3.config.layers[0].module); // InputLayer keras.layers

  tf.dispose([x, y, a, b]);
  return { files, sameOutput };
}

if (require.main === module) main();
