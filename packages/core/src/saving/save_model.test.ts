import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { input } from '../engine/input_layer';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { setSeed } from '../engine/random';
import { saveModel } from './save_model';
import { loadModelSync } from './load_model';

const createdDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-save-'));
  createdDirs.push(dir);
  return dir;
}
afterAll(() => createdDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function values(t: tf.Tensor | tf.Tensor[]): number[][] {
  return [t].flat().map((x) => Array.from(x.dataSync()));
}

function sequentialModel(): Sequential {
  const m = new Sequential({ name: 'chars' });
  m.add(layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [6] }));
  m.add(layers.gru({ units: 5, returnSequences: true }));
  m.add(layers.lstm({ units: 3 }));
  m.add(layers.dense({ units: 12, activation: 'softmax' }));
  return m;
}

function functionalModel(): Model {
  const x = input({ shape: [4, 3], name: 'x' });
  const bi = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, returnSequences: true }) }).apply(x) as ReturnType<typeof input>;
  const y = layers.lstm({ units: 3 }).apply(bi) as ReturnType<typeof input>;
  return new Model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(y) as ReturnType<typeof input>, name: 'bi' });
}

describe('save -> load -> predict', () => {
  beforeAll(() => setSeed(11));

  test('a Sequential model predicts bit-identically after loading', () => {
    const m = sequentialModel();
    const x = tf.tensor2d([[1, 5, 7, 0, 0, 0], [3, 3, 2, 11, 4, 1]]);
    const before = values(m.predict(x));
    const dir = tempDir();
    saveModel(m, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = loadModelSync(dir);
    expect(values(loaded.predict(x))).toEqual(before);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBeNull();
    // GRU defaults to reset_after=true, which tfjs cannot express: the topology falls back to Keras 3's spelling.
    expect(json.modelTopology.module).toBe('keras');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toContain('gru/bias');
    x.dispose();
  });

  test('a functional model with Bidirectional predicts bit-identically after loading (path to model.json)', () => {
    const m = functionalModel();
    const x = tf.randomNormal([3, 4, 3], 0, 1, 'float32', 5);
    const before = values(m.predict(x));
    const dir = tempDir();
    saveModel(m, dir);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.modelTopology.keras_version).toMatch(/^tfjs-layers /);
    const loaded = loadModelSync(path.join(dir, 'model.json'));
    expect(values(loaded.predict(x))).toEqual(before);
    x.dispose();
  });

  test('loading does not leak tensors', () => {
    const m = sequentialModel();
    const dir = tempDir();
    saveModel(m, dir);
    const first = loadModelSync(dir);
    first.dispose();
    const before = tf.memory().numTensors;
    const loaded = loadModelSync(dir);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('model.save(dir, opts) writes what the top-level loadModel reads back', async () => {
    // The package entry point, as users import it.
    const entry = await import('../index');
    const m = functionalModel();
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = tf.randomNormal([3, 4, 3], 0, 1, 'float32', 6);
    m.trainOnBatch(x, tf.zeros([3, 2]));
    const before = values(m.predict(x));
    const dir = tempDir();
    m.save(dir, { includeOptimizer: true });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);
    const loaded = await entry.loadModel(dir);
    expect(values(loaded.predict(x))).toEqual(before);
    expect(loaded.optimizer).not.toBeNull();
    expect(() => m.save('')).toThrow(/expected a folder path/);
    x.dispose();
  });

  test('dialect tfjs refuses a model tfjs cannot run', () => {
    expect(() => saveModel(sequentialModel(), tempDir(), { dialect: 'tfjs' })).toThrow(/reset_after/);
  });

  test('GRU(reset_after=true) in a folder: the save says (once per model) and model.json says which software reads the file', () => {
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = sequentialModel();
    const dir = tempDir();
    saveModel(m, dir);
    saveModel(m, dir);
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(String(warnings.mock.calls[0][0])).toMatch(/saved 'chars' to .* in the Keras 3 dialect, which recurrent's loadModel reads but @tensorflow\/tfjs cannot: GRU 'gru\w*' cannot be written for TensorFlow\.js: .*For Keras, save to a \.keras file instead\./);
    warnings.mockRestore();
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.readableBy).toMatch(/^recurrent \(loadModel\) only; @tensorflow\/tfjs cannot load it: GRU 'gru\w*' cannot be written for TensorFlow\.js/);
    const tfjsReadable = new Sequential({ name: 'plain' });
    tfjsReadable.add(layers.lstm({ units: 2, inputShape: [3, 2] }));
    const other = tempDir();
    saveModel(tfjsReadable, other);
    expect(JSON.parse(fs.readFileSync(path.join(other, 'model.json'), 'utf8')).readableBy).toBe('recurrent (loadModel) and @tensorflow/tfjs (loadLayersModel)');
  });
});

describe('files of different saves', () => {
  test('files of two different saves are detected instead of mixed silently', () => {
    const a = tempDir();
    const b = tempDir();
    saveModel(sequentialModel(), a);
    saveModel(sequentialModel(), b);
    fs.copyFileSync(path.join(b, 'weights.bin'), path.join(a, 'weights.bin'));
    expect(() => loadModelSync(a)).toThrow(/weights\.bin does not match this model\.json \(SHA-256 differs\)/);
  });
});
