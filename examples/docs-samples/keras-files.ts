// Keras files: a model trained here goes to Keras as a .keras archive, and Keras files come back.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense, GRU, Sequential, TimeDistributed, checkModelFiles, loadModel, loadWeights, saveWeights, setSeed } from '@recurrent/core';

/** A per-timestep regressor: a GRU over the sequence, one output per step. */
function tagger(): Sequential {
  return new Sequential({ layers: [new GRU({ units: 16, returnSequences: true, inputShape: [20, 3] }), new TimeDistributed({ layer: new Dense({ units: 1 }) })] });
}

export async function main(): Promise<{ sameOutput: boolean; sameAfterLoadWeights: boolean; problems: number; compiled: boolean }> {
  setSeed(5);
  const x = tf.randomNormal([32, 20, 3], 0, 1, 'float32', 5);
  const y = tf.cumsum(x.slice([0, 0, 0], [32, 20, 1]), 1);
  const model = tagger();
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(x, y, { epochs: 2, verbose: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-files-'));
  const same = (a: Sequential, b: Sequential) => tf.tidy(() => tf.equal(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor).all().dataSync()[0] === 1);

  // Keras 3's format: in Python, keras.saving.load_model("tagger.keras") (any backend).
  const file = path.join(dir, 'tagger.keras');
  await model.save(file);
  const back = await loadModel(file); // compiled again from the archive's compile_config
  const sameOutput = same(model, back as Sequential);

  // The weights alone, for an architecture built on both sides: model.load_weights("tagger.weights.h5") in Keras.
  await saveWeights(model, path.join(dir, 'tagger.weights.h5'));
  const fresh = tagger();
  await loadWeights(fresh, path.join(dir, 'tagger.weights.h5'));
  const sameAfterLoadWeights = same(model, fresh);

  // Everything loading checks, without loading (what `recurrent validate tagger.keras` prints).
  const check = await checkModelFiles(file);
  console.log(`${check.problems.length} problems; ${check.model?.weights} weights; training config ${check.trainingNote ?? 'compiles'}`);
  tf.dispose([x, y]);
  return { sameOutput, sameAfterLoadWeights, problems: check.problems.length, compiled: back.optimizer !== null };
}

if (require.main === module) main();
