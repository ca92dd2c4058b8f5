// Raw text in: TextVectorization learns its vocabulary (adapt), the model takes strings, and the
// vocabulary is saved with the model.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Dense, Embedding, LSTM, TextVectorization, input, loadModel, model, setSeed, type SymbolicTensor } from '@recurrent/core';

export async function main(): Promise<{ vocabulary: string[]; ids: number[][]; sameAfterLoading: boolean }> {
  setSeed(1);
  const texts = ['Free money, now!', 'Lunch at noon?', 'Win free money', 'See you at noon'];
  const spam = tf.tensor2d([[1], [0], [1], [0]]);

  const vectorize = new TextVectorization({ maxTokens: 20, outputSequenceLength: 4 });
  vectorize.adapt(texts); // most frequent first: ['', '[UNK]', 'noon', 'money', 'free', 'at', ...]
  const text = input({ shape: [1], dtype: 'string' });
  const ids = vectorize.apply(text) as SymbolicTensor;
  const embedded = new Embedding({ inputDim: 20, outputDim: 8, maskZero: true }).apply(ids) as SymbolicTensor;
  const probability = new Dense({ units: 1, activation: 'sigmoid' }).apply(new LSTM({ units: 8 }).apply(embedded) as SymbolicTensor) as SymbolicTensor;
  const classifier = model({ inputs: text, outputs: probability });
  classifier.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  await classifier.fit(texts, spam, { epochs: 5, verbose: 0 }); // a flat list of strings, or [[text], ...]

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raw-text-'));
  classifier.save(dir); // the vocabulary is in model.json, in the TextVectorization's config
  const loaded = await loadModel(dir);
  const probe = tf.tensor(['free lunch at noon']);
  const before = (classifier.predict(probe) as tf.Tensor).dataSync()[0];
  const after = (loaded.predict(probe) as tf.Tensor).dataSync()[0];
  console.log(before, after); // the same number

  const result = {
    vocabulary: vectorize.getVocabulary(),
    ids: (vectorize.apply(probe) as tf.Tensor).arraySync() as number[][],
    sameAfterLoading: Math.abs(before - after) < 1e-6,
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

if (require.main === module) main();
