import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { Sequential } from '../models/sequential';
import { setSeed } from '../engine/random';
import { ConfigError } from '../config/config_error';
import { saveModel } from './save_model';
import { loadModelSync } from './load_model';
import { readModelFiles } from './read_model_files';
import keras2Sequential from '../config/fixtures/keras2_sequential_lstm.json';

const createdDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-read-'));
  createdDirs.push(dir);
  return dir;
}
afterAll(() => createdDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function savedModel(): { dir: string; model: Sequential } {
  const model = new Sequential({ name: 'small' });
  model.add(layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }));
  model.add(layers.dense({ units: 2, name: 'dense' }));
  const dir = tempDir();
  saveModel(model, dir);
  return { dir, model };
}

const readJson = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
/** Rewrites model.json (dropping the integrity record, as a hand edit or another writer would). */
function editJson(dir: string, edit: (json: Record<string, any>) => void): void {
  const json = readJson(dir);
  delete json.weightsIntegrity;
  edit(json);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
}

function loadError(location: string): string {
  try {
    loadModelSync(location);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the load to fail');
}

describe('safe loading refuses, naming the file and the problem', () => {
  beforeAll(() => setSeed(3));

  test('a truncated weights file', () => {
    const { dir } = savedModel();
    editJson(dir, () => undefined);
    const bin = path.join(dir, 'weights.bin');
    fs.writeFileSync(bin, fs.readFileSync(bin).subarray(0, 40));
    expect(loadError(dir)).toMatch(/model\.json: 1 problem\n.*weightsManifest\[0\]: weights\.bin holds 40 bytes but the manifest declares 320 \(truncated or incomplete\)/);
  });

  test('an oversized weights file', () => {
    const { dir } = savedModel();
    editJson(dir, () => undefined);
    fs.appendFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(8));
    expect(loadError(dir)).toMatch(/weights\.bin holds \d+ bytes but the manifest declares \d+ \(larger than declared/);
  });

  test('manifest shapes and dtypes that do not match the model', () => {
    const { dir } = savedModel();
    editJson(dir, (json) => {
      const weights = json.weightsManifest[0].weights;
      // Same byte count, other shape and dtype: only the model check can catch these.
      weights[0].shape = [3, 8];
      weights[4].dtype = 'int32';
    });
    const message = loadError(dir);
    expect(message).toMatch(/lstm\/kernel: shape \[3, 8\] does not match the model's 'lstm\/kernel' of shape \[2, 12\]/);
    expect(message).toMatch(/dense\/bias: dtype int32 does not match the model's 'dense\/bias' \(float32\)/);
  });

  test('a declared shape too large is refused before any allocation', () => {
    const { dir } = savedModel();
    editJson(dir, (json) => { json.weightsManifest[0].weights[0].shape = [100000, 100000]; });
    expect(loadError(dir)).toMatch(/weights\[0\]\.shape: declares 10000000000 elements, more than the 2147483647/);
    editJson(dir, (json) => { json.weightsManifest[0].weights[0].shape = [40000, 40000]; });
    const message = loadError(dir);
    expect(message).toMatch(/holds 320 bytes but the manifest declares 6400000224/);
    expect(message).toMatch(/declares 6400000224 bytes of weights, more than the limit of 4294967296/);
  });

  test('negative, fractional and NaN dimensions, unknown dtypes', () => {
    const { dir } = savedModel();
    editJson(dir, (json) => {
      const w = json.weightsManifest[0].weights;
      w[0].shape = [-2, 12];
      w[1].shape = [3, 1.5];
      w[2].shape = ['NaN'];
      w[3].dtype = 'float64';
      w[4].dtype = 'string';
    });
    const message = loadError(dir);
    expect(message).toContain('weightsManifest[0].weights[0].shape[0]: expected a non-negative integer dimension, got -2');
    expect(message).toContain('weightsManifest[0].weights[1].shape[1]: expected a non-negative integer dimension, got 1.5');
    expect(message).toContain('weightsManifest[0].weights[2].shape[0]: expected a non-negative integer dimension, got "NaN"');
    expect(message).toContain('weightsManifest[0].weights[3].dtype: expected one of float32, int32, bool, got "float64"');
    expect(message).toContain('weightsManifest[0].weights[4].dtype: expected one of float32, int32, bool, got "string" (this dtype cannot be a layer weight)');
  });

  test('non-JSON, a JSON bomb, and a model.json too large', () => {
    const { dir } = savedModel();
    fs.writeFileSync(path.join(dir, 'model.json'), '{"format": "layers-model", ');
    expect(loadError(dir)).toMatch(/model\.json: 1 problem\n {2}- not valid JSON/);
    fs.writeFileSync(path.join(dir, 'model.json'), `{"modelTopology": ${'['.repeat(100000)}${']'.repeat(100000)}}`);
    expect(loadError(dir)).toMatch(/nesting deeper than 128 levels/);
    fs.writeFileSync(path.join(dir, 'model.json'), `{"pad": "${'x'.repeat(2000)}"}`);
    expect(() => readModelFiles(dir, { maxJsonBytes: 1000, maxJsonDepth: 128, maxWeightBytes: 1e9 })).toThrow(/the model\.json has 20\d\d bytes, more than the limit of 1000/);
  });

  test('shard paths that leave the folder, missing files, graph models', () => {
    const { dir } = savedModel();
    editJson(dir, (json) => { json.weightsManifest[0].paths = ['../../etc/passwd']; });
    expect(loadError(dir)).toMatch(/paths\[0\]: expected a file name in the model's folder/);
    editJson(dir, (json) => { json.weightsManifest[0].paths = ['gone.bin']; });
    expect(loadError(dir)).toMatch(/the weights file gone\.bin is missing/);
    editJson(dir, (json) => { json.format = 'graph-model'; });
    expect(loadError(dir)).toMatch(/"graph-model".*not supported/);
  });

  test('a folder without model.json, and a path that does not exist', () => {
    expect(loadError(tempDir())).toMatch(/this folder holds no model\.json/);
    expect(loadError(path.join(tempDir(), 'nope'))).toMatch(/no such file or folder/);
  });

  test('weights the model does not have, and weights it lacks', () => {
    const { dir } = savedModel();
    editJson(dir, (json) => { json.weightsManifest[0].weights[3].name = 'dense/kernal'; });
    const message = loadError(dir);
    expect(message).toMatch(/dense\/kernal: the model has no weight of this name/);
    expect(message).toMatch(/no value for the model's weight 'dense\/kernel'/);
  });
});

describe('converted Keras models', () => {
  test('model_config wrapper, several groups, sharded files and :0 / cell-scoped names', () => {
    setSeed(4);
    const reference = new Sequential({ name: 'ref' });
    for (const l of [
      layers.embedding({ inputDim: 1000, outputDim: 16, maskZero: true, inputShape: [20], name: 'embedding' }),
      layers.lstm({ units: 32, name: 'lstm' }),
      layers.dense({ units: 1, activation: 'sigmoid', name: 'dense' }),
    ]) reference.add(l);
    const weights = reference.weights;
    const bytes = (i: number) => Buffer.from((weights[i].read().dataSync() as Float32Array).buffer.slice(0));
    const dir = tempDir();
    // Group 1: the embedding split over two shards, as the converter shards at a fixed size.
    const embedding = bytes(0);
    fs.writeFileSync(path.join(dir, 'group1-shard1of2.bin'), embedding.subarray(0, 40000));
    fs.writeFileSync(path.join(dir, 'group1-shard2of2.bin'), embedding.subarray(40000));
    fs.writeFileSync(path.join(dir, 'group2-shard1of1.bin'), Buffer.concat([bytes(1), bytes(2), bytes(3), bytes(4), bytes(5)]));
    const spec = (name: string, i: number) => ({ name, shape: weights[i].shape, dtype: 'float32' });
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model',
      generatedBy: 'keras v2.13.1',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: { keras_version: '2.13.1', backend: 'tensorflow', model_config: keras2Sequential, training_config: { loss: 'binary_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } } } },
      weightsManifest: [
        { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [spec('embedding/embeddings', 0)] },
        { paths: ['group2-shard1of1.bin'], weights: [spec('lstm/lstm_cell/kernel:0', 1), spec('lstm/lstm_cell/recurrent_kernel:0', 2), spec('lstm/lstm_cell/bias:0', 3), spec('dense/kernel:0', 4), spec('dense/bias:0', 5)] },
      ],
    }));
    const loaded = loadModelSync(dir);
    const x = tf.tensor2d([Array.from({ length: 20 }, (_, i) => (i * 7) % 1000)]);
    const expected = reference.predict(x) as tf.Tensor;
    const actual = loaded.predict(x) as tf.Tensor;
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, expected, actual]);
  });
});
