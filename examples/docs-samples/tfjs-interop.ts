// TensorFlow.js interop: a saved model loads in plain @tensorflow/tfjs and computes the same outputs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense, GRU, LSTM, Sequential, modelToJSON, saveModel, setSeed } from '@recurrent/core';

/** Loads a saved folder with tfjs's own loader (fromMemory: no file:// handler or tfjs-node needed). */
async function loadWithTfjs(dir: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group: { weights: tf.io.WeightsManifestEntry[] }) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

export async function main(): Promise<{ lstmDifference: number; gruDifference: number; resetAfterError: string }> {
  setSeed(2);
  const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 2);
  const compare = async (model: Sequential) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-'));
    saveModel(model, dir);
    const loaded = await loadWithTfjs(dir);
    const ours = model.predict(x) as tf.Tensor;
    const theirs = loaded.predict(x) as tf.Tensor;
    const difference = tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0];
    tf.dispose([ours, theirs]);
    loaded.dispose();
    return difference;
  };

  const lstm = new Sequential({ layers: [new LSTM({ units: 5, inputShape: [6, 3] }), new Dense({ units: 2 })] });
  const lstmDifference = await compare(lstm);
  console.log(`LSTM: largest difference between recurrent and tfjs ${lstmDifference.toExponential(1)}`);

  // tfjs runs GRU only with reset_after=false; Keras 3's default (and ours) is true.
  const gru = new Sequential({ layers: [new GRU({ units: 5, resetAfter: false, inputShape: [6, 3] }), new Dense({ units: 2 })] });
  const gruDifference = await compare(gru);
  console.log(`GRU(resetAfter: false): largest difference ${gruDifference.toExponential(1)}`);

  let resetAfterError = '';
  try {
    modelToJSON(new Sequential({ layers: [new GRU({ units: 5, inputShape: [6, 3] })] }), { dialect: 'tfjs' });
  } catch (e) {
    resetAfterError = (e as Error).message;
    console.log(resetAfterError); // names the layer and the fix (resetAfter: false)
  }
  tf.dispose(x);
  return { lstmDifference, gruDifference, resetAfterError };
}

if (require.main === module) main();
