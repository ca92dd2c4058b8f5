/**
 * Interoperability with @tensorflow/tfjs 4.22: models trained and saved here load in tf.loadLayersModel and
 * predict the same values; models built and saved by tfjs load here and predict the same values.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import type { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { setSeed } from '../engine/random';
import { compileModel, getCompileConfig, optimizerOf } from '../training/compile_args';
import { fitModel } from '../training/fit';
import { evaluateModel } from '../training/evaluate';
import { saveModel } from './save_model';
import { loadModelSync } from './load_model';

const createdDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-tfjs-'));
  createdDirs.push(dir);
  return dir;
}
afterAll(() => createdDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** An IOHandler reading a folder written by saveModel (what tfjs-node's file:// handler would do). */
function folderHandler(dir: string): tf.io.IOHandler {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const buffers = groups.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const data = Buffer.concat(buffers);
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    trainingConfig: json.trainingConfig,
  });
}

/** Writes tfjs's save artifacts the way tfjs-node's file:// handler does (model.json + weights.bin). */
async function saveWithTfjs(model: tf.LayersModel, dir: string, includeOptimizer = false): Promise<void> {
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = Buffer.from(artifacts.weightData as ArrayBuffer);
    fs.writeFileSync(path.join(dir, 'weights.bin'), weightData);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
}

function sequenceData(n: number, steps: number, features: number, seed: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const x = tf.randomUniform([n, steps, features], -1, 1, 'float32', seed) as tf.Tensor3D;
  const y = tf.tidy(() => x.sum(1).slice([0, 0], [n, 1])) as tf.Tensor2D;
  return { x, y };
}

const closeTo = (a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
};

/** Our model saved for tfjs and loaded by tf.loadLayersModel predicts what ours predicts on `x`. */
async function expectTfjsReads(ours: Model, x: tf.Tensor): Promise<void> {
  const dir = tempDir();
  saveModel(ours, dir, { dialect: 'tfjs' });
  const inTfjs = await tf.loadLayersModel(folderHandler(dir));
  const expected = ours.predict(x) as tf.Tensor;
  const actual = inTfjs.predict(x) as tf.Tensor;
  closeTo(actual.dataSync(), expected.dataSync());
  tf.dispose([expected, actual]);
  inTfjs.dispose();
}

/** A tfjs model saved by tfjs itself and loaded here predicts what tfjs predicts on `x`; returns the folder. */
async function expectWeRead(theirs: tf.LayersModel, x: tf.Tensor): Promise<string> {
  const dir = tempDir();
  await saveWithTfjs(theirs, dir);
  const here = loadModelSync(dir);
  const expected = theirs.predict(x) as tf.Tensor;
  const actual = here.predict(x) as tf.Tensor;
  closeTo(actual.dataSync(), expected.dataSync());
  tf.dispose([expected, actual]);
  here.dispose();
  return dir;
}

describe('our models in TensorFlow.js', () => {
  beforeAll(() => setSeed(21));

  const cases: [string, () => ReturnType<typeof layers.lstm> | ReturnType<typeof layers.gru> | ReturnType<typeof layers.simpleRNN>][] = [
    ['SimpleRNN', () => layers.simpleRNN({ units: 6, inputShape: [5, 3] })],
    ['LSTM', () => layers.lstm({ units: 6, inputShape: [5, 3] })],
    ['GRU (reset_after false)', () => layers.gru({ units: 6, inputShape: [5, 3], resetAfter: false })],
  ];

  for (const [label, makeLayer] of cases) {
    test(`${label}: trained here, loaded by tf.loadLayersModel, same predictions`, async () => {
      const model = new Sequential({ name: `interop_${label.split(' ')[0].toLowerCase()}` });
      model.add(makeLayer());
      model.add(layers.dense({ units: 1 }));
      compileModel(model, { optimizer: 'adam', loss: 'mse' });
      const { x, y } = sequenceData(16, 5, 3, 1);
      await fitModel(model, x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      await expectTfjsReads(model, x);
      tf.dispose([x, y]);
    });
  }
});

describe('Bidirectional both ways', () => {
  test('our Bidirectional LSTM loads in tfjs, and a tfjs Bidirectional GRU loads here', async () => {
    setSeed(22);
    const ours = new Sequential({ name: 'bi_ours' });
    ours.add(layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), inputShape: [5, 2], mergeMode: 'concat' }));
    ours.add(layers.dense({ units: 1 }));
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 12);
    await expectTfjsReads(ours, x);
    const theirs = tf.sequential();
    theirs.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3 }) as tf.RNN, inputShape: [5, 2], mergeMode: 'ave' }));
    await expectWeRead(theirs, x);
    x.dispose();
    theirs.dispose();
  });
});

describe('TensorFlow.js models here', () => {
  test('a tfjs LSTM/GRU/SimpleRNN model saved by tfjs loads and predicts the same', async () => {
    const theirs = tf.sequential();
    theirs.add(tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }));
    theirs.add(tf.layers.lstm({ units: 5, returnSequences: true }));
    theirs.add(tf.layers.gru({ units: 4, returnSequences: true }));
    theirs.add(tf.layers.simpleRNN({ units: 3 }));
    theirs.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    const dir = tempDir();
    await saveWithTfjs(theirs, dir);
    const ours = loadModelSync(dir);
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [9, 8, 7, 0, 0, 1]]);
    const expected = theirs.predict(x) as tf.Tensor;
    const actual = ours.predict(x) as tf.Tensor;
    closeTo(actual.dataSync(), expected.dataSync());
    // tfjs gates with its hard_sigmoid (0.2x + 0.5): the loaded layers keep it.
    const lstmConfig = ours.layers.find((l) => l.className === 'LSTM')!.getConfig();
    expect(lstmConfig.recurrentActivation).toBe('hard_sigmoid_legacy');
    tf.dispose([x, expected, actual]);
    theirs.dispose();
  });

  test('a compiled tfjs model keeps its training config; cell-scoped weight names (tf.keras 2.2+) are understood', async () => {
    const theirs = tf.sequential();
    theirs.add(tf.layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }));
    theirs.add(tf.layers.dense({ units: 1, name: 'dense' }));
    theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const dir = tempDir();
    await saveWithTfjs(theirs, dir, true);
    // Rewrite the names the way tf.keras 2.2+ and the converter write them: lstm/lstm_cell/kernel:0.
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    for (const w of json.weightsManifest[0].weights) w.name = w.name.replace(/^lstm\//, 'lstm/lstm_cell/') + ':0';
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    const ours = loadModelSync(dir);
    expect(json.trainingConfig.loss).toBe('mean_squared_error');
    expect(getCompileConfig(ours)).toMatchObject({ loss: 'mean_squared_error', optimizer: { className: 'Adam' } });
    expect(optimizerOf(ours)!.learningRate).toBeCloseTo(0.01);
    const x = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 8);
    const expected = theirs.predict(x) as tf.Tensor;
    const actual = ours.predict(x) as tf.Tensor;
    closeTo(actual.dataSync(), expected.dataSync());
    tf.dispose([x, expected, actual]);
    theirs.dispose();
  });
});

describe('TimeDistributed weight names, as tfjs and the converter write them', () => {
  test('a TimeDistributed(Dense) model saved by tfjs itself loads here, and ours loads in tfjs', async () => {
    const theirs = tf.sequential();
    theirs.add(tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }));
    theirs.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }));
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 31);
    const theirDir = await expectWeRead(theirs, x);
    const names = JSON.parse(fs.readFileSync(path.join(theirDir, 'model.json'), 'utf8')).weightsManifest[0].weights.map((w: { name: string }) => w.name);
    expect(names.slice(3)).toEqual([expect.stringMatching(/^time_distributed_\w+\/kernel$/), expect.stringMatching(/^time_distributed_\w+\/bias$/)]);
    await expectTfjsReads(loadModelSync(theirDir), x);
    x.dispose();
    theirs.dispose();
  });

  test('TimeDistributed(Bidirectional(LSTM)) both ways', async () => {
    setSeed(32);
    const ours = new Sequential({ name: 'td_bi' });
    ours.add(layers.timeDistributed({ layer: layers.bidirectional({ layer: layers.lstm({ units: 2 }) }), inputShape: [3, 4, 2] }));
    const x = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 33);
    await expectTfjsReads(ours, x);
    const theirs = tf.sequential();
    theirs.add(tf.layers.timeDistributed({ layer: tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN }), inputShape: [3, 4, 2] }));
    await expectWeRead(theirs, x);
    x.dispose();
    theirs.dispose();
  });

  test('Keras 2 names (time_distributed/forward_lstm/lstm_cell/kernel:0) and this library\'s earlier names (dense/kernel) load', () => {
    setSeed(34);
    const model = new Sequential({ name: 'td_names' });
    model.add(layers.timeDistributed({ layer: layers.dense({ units: 2, name: 'dense' }), inputShape: [3, 4, 5], name: 'time_distributed' }));
    model.add(layers.timeDistributed({ layer: layers.bidirectional({ layer: layers.lstm({ units: 2, name: 'lstm' }) }), name: 'td_bi' }));
    const x = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 35);
    const expected = model.predict(x) as tf.Tensor;
    for (const rename of [
      (n: string) => `${n.replace(/^td_bi\/(\w+)\//, 'td_bi/$1/lstm_cell/')}:0`,
      (n: string) => n.replace(/^time_distributed\//, 'dense/'),
    ]) {
      const dir = tempDir();
      saveModel(model, dir, { dialect: 'tfjs' });
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      for (const w of json.weightsManifest[0].weights) w.name = rename(w.name);
      delete json.weightsIntegrity;
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      const loaded = loadModelSync(dir);
      const actual = loaded.predict(x) as tf.Tensor;
      closeTo(actual.dataSync(), expected.dataSync());
      tf.dispose(actual);
    }
    tf.dispose([x, expected]);
  });
});

describe('converter output of a Keras 2.15 model (Custom>Adam, MeanMetricWrapper, TimeDistributed)', () => {
  const fixture = path.join(__dirname, 'fixtures', 'converted_keras_2_15');

  test('loads compiled, as tfjs loads it, with the same predictions', async () => {
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ours = loadModelSync(fixture);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
    expect(getCompileConfig(ours)).toMatchObject({
      optimizer: { className: 'Adam' },
      loss: { className: 'SparseCategoricalCrossentropy' },
      metrics: [[{ className: 'MeanMetricWrapper', config: { fn: 'sparse_categorical_accuracy', name: 'accuracy' } }]],
    });
    expect(optimizerOf(ours)!.learningRate).toBeCloseTo(0.002, 9);
    const theirs = await tf.loadLayersModel(folderHandler(fixture));
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [19, 0, 7, 7, 2, 11]]);
    const expected = theirs.predict(x) as tf.Tensor;
    const actual = ours.predict(x) as tf.Tensor;
    closeTo(actual.dataSync(), expected.dataSync());
    // The metric is logged under the name Keras gave it.
    const y = tf.tensor2d([[0, 1, 2, 0, 1, 2], [2, 2, 1, 0, 0, 1]]);
    const logs = (await evaluateModel(ours, x, y, { verbose: 0, returnDict: true })) as Record<string, number>;
    expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss']);
    tf.dispose([x, y, expected, actual]);
    theirs.dispose();
  });

  test('a training config that cannot be used loads the model uncompiled, with one warning naming what was skipped', () => {
    const dir = tempDir();
    for (const f of fs.readdirSync(fixture)) fs.copyFileSync(path.join(fixture, f), path.join(dir, f));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    // A custom loss function (stored by its Python name) and an optimizer this library lacks.
    json.modelTopology.training_config.loss = 'loss';
    json.modelTopology.training_config.optimizer_config.config.use_ema = true;
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = loadModelSync(dir);
    expect(warnings).toHaveBeenCalledTimes(1);
    const message = String(warnings.mock.calls[0][0]);
    warnings.mockRestore();
    expect(message).toMatch(/model\.json: loaded without compiling; the saved training config was skipped \(optimizer 'Custom>Adam': option use_ema = true is not supported\)/);
    expect(message).toMatch(/model\.compile\(\{ optimizer: 'adam', loss: \.\.\./);
    expect(getCompileConfig(model)).toBeNull();
    json.modelTopology.training_config.optimizer_config.config.use_ema = false;
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    const again = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    loadModelSync(dir);
    expect(String(again.mock.calls[0][0])).toMatch(/skipped \(loss: unknown loss 'loss'/);
    again.mockRestore();
    // Asked not to compile: no warning at all.
    const none = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    loadModelSync(dir, { compile: false });
    expect(none).not.toHaveBeenCalled();
    none.mockRestore();
  });
});

describe('models as layers, both ways', () => {
  test('a Sequential inside a Sequential, and a TimeDistributed model: tfjs loads ours, we load tfjs\'s', async () => {
    setSeed(36);
    const inner = new Sequential({ name: 'inner' });
    inner.add(layers.dense({ units: 3, inputShape: [4], activation: 'tanh' }));
    inner.add(layers.dense({ units: 2 }));
    const ours = new Sequential({ name: 'outer' });
    ours.add(layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 2] }));
    ours.add(layers.timeDistributed({ layer: inner }));
    const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 37);
    await expectTfjsReads(ours, x);
    const theirInner = tf.sequential({ layers: [tf.layers.lstm({ units: 3, inputShape: [5, 2], returnSequences: true }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) })] });
    const theirs = tf.sequential();
    theirs.add(theirInner);
    theirs.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }));
    await expectWeRead(theirs, x);
    x.dispose();
    theirs.dispose();
  });
});
