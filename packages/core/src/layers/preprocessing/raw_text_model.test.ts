/** Models that take raw strings: built, trained, used for predictions, saved and loaded with their vocabulary. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import { setSeed } from '../../engine/random';
import type { SymbolicTensor } from '../../engine/symbolic';
import type { Tensor } from '../../engine/types';
import { model } from '../../models/model';
import { sequential } from '../../models/sequential';
import { loadModel } from '../../saving/load_model';
import { Dense } from '../core/dense';
import { Embedding } from '../core/embedding';
import { LSTM } from '../rnn/lstm';
import { TextVectorization } from './text_vectorization';

const texts = ['free money now', 'meeting at noon', 'win free money', 'lunch at noon?', 'money money money!', 'see you at the meeting'];
const labels = tf.tensor2d([[1], [0], [1], [0], [1], [0]]);

function rawTextModel(): ReturnType<typeof model> {
  const vectorize = new TextVectorization({ maxTokens: 20, outputSequenceLength: 5, name: 'vectorize' });
  vectorize.adapt(texts);
  const raw = input({ shape: [1], dtype: 'string', name: 'text' });
  const ids = vectorize.apply(raw) as SymbolicTensor;
  const h = new LSTM({ units: 4 }).apply(new Embedding({ inputDim: 20, outputDim: 3, maskZero: true }).apply(ids) as SymbolicTensor) as SymbolicTensor;
  return model({ inputs: raw, outputs: new Dense({ units: 1, activation: 'sigmoid' }).apply(h) as SymbolicTensor });
}

describe('a model that takes raw strings', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('fits on arrays of strings (shuffled), predicts on a string tensor, and keeps the tensor count flat', async () => {
    setSeed(3);
    const m = rawTextModel();
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const x = texts.map((t) => [t]);
    const history = await m.fit(x, labels, { epochs: 3, batchSize: 4, shuffle: true, verbose: 0 });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    const probe = tf.tensor(x);
    const before = tf.memory().numTensors;
    await m.fit(x, labels, { epochs: 1, batchSize: 4, verbose: 0 });
    tf.dispose(m.predict(probe));
    expect(tf.memory().numTensors).toBe(before);
    // A flat list of strings works as well as [batch, 1].
    expect((m.predict(tf.tensor(texts)) as Tensor).shape).toEqual([6, 1]);
  });

  test('saves with its vocabulary; the loaded model predicts the same from raw text', async () => {
    setSeed(4);
    const m = rawTextModel();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raw-text-'));
    try {
      m.save(dir);
      const topology = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology;
      const vectorizer = topology.config.layers.find((l: { name: string }) => l.name === 'vectorize');
      expect(vectorizer.config.vocabulary.slice(0, 3)).toEqual(['', '[UNK]', 'money']);
      const loaded = await loadModel(dir);
      const probe = tf.tensor([['free money at noon'], ['unseen words only']]);
      const expected = (m.predict(probe) as Tensor).dataSync();
      const actual = (loaded.predict(probe) as Tensor).dataSync();
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a Sequential starting with TextVectorization is fed strings', () => {
    const vectorize = new TextVectorization({ vocabulary: ['free', 'money'], outputSequenceLength: 3, inputShape: [1] });
    const m = sequential({ layers: [vectorize, new Embedding({ inputDim: 4, outputDim: 2 })] });
    expect(m.inputs[0].dtype).toBe('string');
    expect((m.predict(tf.tensor([['Free money!']])) as Tensor).shape).toEqual([1, 3, 2]);
    const inferred = sequential({ layers: [new TextVectorization({ vocabulary: ['free'], outputSequenceLength: 2 })] });
    expect((inferred.predict(tf.tensor([['free']])) as Tensor).arraySync()).toEqual([[2, 0]]);
  });

  test('strings fed to a numeric input, or numbers to a string input, get a clear error', () => {
    const m = rawTextModel();
    expect(() => m.predict(tf.ones([2, 1]))).toThrow(/Input 'text' takes strings but was fed a float32 tensor; feed an array \(or tensor\) of strings/);
    const x = input({ shape: [2], name: 'numbers' });
    const dense = model({ inputs: x, outputs: new Dense({ units: 1 }).apply(x) as SymbolicTensor });
    expect(() => dense.predict(tf.tensor([['a', 'b']]))).toThrow(/Input 'numbers' takes float32 numbers but was fed a string tensor/);
  });
});
