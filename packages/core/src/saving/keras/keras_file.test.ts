/**
 * Keras files here: a model saved as .keras loads back and predicts bit-identically; weights alone go through
 * .weights.h5; damaged and hostile files are refused with the reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../config/config_error';
import { input } from '../../engine/input_layer';
import { makeRandom, setSeed } from '../../engine/random';
import { layers } from '../../layers';
import { Model } from '../../models/model';
import { Sequential } from '../../models/sequential';
import { compileModel, getCompileConfig } from '../../training/compile_args';
import { loadModel, loadModelSync } from '../load_model';
import { saveModel } from '../save_model';
import { hdf5 } from './hdf5_runtime';
import { loadWeights, saveWeights } from './keras_weights';
import { ZipArchive } from './zip_reader';
import { kerasSnakeCase } from './weight_paths';
import { StringLookup } from '../../layers/preprocessing/string_lookup';
import { TextVectorization } from '../../layers/preprocessing/text_vectorization';
import { writeZip } from './zip_writer';
import { temporaryFolders } from '../__tests__/temp_dirs';

const tempDir = temporaryFolders('recurrent-keras-');

const values = (t: tf.Tensor | tf.Tensor[]) => [t].flat().map((x) => Array.from(x.dataSync()));

export function textModel(): Sequential {
  const m = new Sequential({ name: 'tagger' });
  m.add(layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [6] }));
  m.add(layers.gru({ units: 5, returnSequences: true }));
  m.add(layers.lstm({ units: 3, returnSequences: true }));
  m.add(layers.timeDistributed({ layer: layers.dense({ units: 2, activation: 'softmax' }) }));
  return m;
}

function biModel(): Model {
  const x = input({ shape: [4, 3], name: 'x' });
  const h = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, returnSequences: true }) }).apply(x) as ReturnType<typeof input>;
  const y = layers.lstm({ units: 3 }).apply(h) as ReturnType<typeof input>;
  return new Model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(y) as ReturnType<typeof input>, name: 'bi' });
}

/** The part of h5wasm's File used to craft a file no writer of weights would produce. */
interface CraftingFile {
  create_group(name: string): unknown;
  create_dataset(args: { name: string; data: Float32Array; shape: number[]; dtype: string; maxshape?: (number | null)[]; chunks?: number[] }): { resize(shape: number[]): void };
  close(): void;
}

/** Rewrites one entry of a .keras archive. */
function editArchive(file: string, name: string, edit: (data: Buffer) => Buffer): void {
  const zip = ZipArchive.read(fs.readFileSync(file), file, { maxEntries: 10, maxEntryBytes: 1e8, maxTotalBytes: 1e8, maxRatio: 1000 });
  fs.writeFileSync(file, writeZip(zip.entries.map((e) => ({ name: e.name, data: e.name === name ? edit(zip.get(e.name)) : zip.get(e.name) }))));
}

async function refusal(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('.keras round trip', () => {
  beforeAll(() => setSeed(41));

  test('save -> load -> predict is bit-identical, Sequential and functional, with the compile settings', async () => {
    const m = textModel();
    compileModel(m, { optimizer: { className: 'Adam', config: { learningRate: 0.003 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = tf.tensor2d([[1, 5, 7, 0, 0, 0], [3, 3, 2, 11, 4, 1]]);
    const file = path.join(tempDir(), 'tagger.keras');
    await saveModel(m, file);
    const zip = ZipArchive.read(fs.readFileSync(file), file, { maxEntries: 10, maxEntryBytes: 1e8, maxTotalBytes: 1e8, maxRatio: 1000 });
    expect(zip.entries.map((e) => [e.name, e.method])).toEqual([['metadata.json', 0], ['config.json', 0], ['model.weights.h5', 0]]);
    const config = JSON.parse(zip.get('config.json').toString());
    expect(config).toMatchObject({ module: 'keras', class_name: 'Sequential', compile_config: { optimizer: { module: 'keras.optimizers', class_name: 'Adam' }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } });
    expect(JSON.parse(zip.get('metadata.json').toString())).toEqual({ keras_version: '3.0.0', date_saved: expect.stringMatching(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/) });
    const loaded = await loadModel(file);
    expect(values(loaded.predict(x))).toEqual(values(m.predict(x)));
    expect(getCompileConfig(loaded)).toMatchObject({ optimizer: { className: 'Adam', config: { learningRate: 0.003 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

    const bi = biModel();
    const biFile = path.join(tempDir(), 'bi.keras');
    await bi.save(biFile);
    const z = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3);
    const biLoaded = await loadModel(biFile);
    expect(values(biLoaded.predict(z))).toEqual(values(bi.predict(z)));
    expect(biLoaded.weights.map((w) => w.name)).toEqual(bi.weights.map((w) => w.name));
    // Saving and loading leave no tensor behind (a loaded model's weights go with it).
    const before = tf.memory().numTensors;
    await bi.save(biFile);
    (await loadModel(biFile)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, z]);
  });

  test('weights alone: saveWeights / loadWeights through .weights.h5 and the weights of a .keras', async () => {
    const source = textModel();
    const target = textModel();
    const x = tf.tensor2d([[4, 5, 6, 0, 0, 0]]);
    const file = path.join(tempDir(), 'tagger.weights.h5');
    await saveWeights(source, file);
    await loadWeights(target, file);
    expect(values(target.predict(x))).toEqual(values(source.predict(x)));
    const archive = path.join(tempDir(), 'tagger.keras');
    await saveModel(source, archive);
    const third = textModel();
    await loadWeights(third, archive);
    expect(values(third.predict(x))).toEqual(values(source.predict(x)));
    expect(await refusal(() => loadModel(file))).toMatch(/holds only weights, no model config .*loadWeights\(model, file\)/);
    await expect(saveWeights(source, path.join(tempDir(), 'w.h5'))).rejects.toThrow(/expected a path ending in \.weights\.h5/);
    x.dispose();
  });

  test("an adapted vocabulary kept in the archive's assets, as Keras 3 saves it, is read back", async () => {
    const texts = ['free money now', 'meeting at noon', 'win free money', 'lunch at noon?', 'see you at the meeting'];
    const vectorize = new TextVectorization({ maxTokens: 20, outputSequenceLength: 4, name: 'vectorize' });
    vectorize.adapt(texts);
    const tags = new StringLookup({ name: 'tags' });
    tags.adapt([['spam', 'ham'], ['ham', 'ham']]);
    const text = input({ shape: [1], dtype: 'string', name: 'text' });
    const tag = input({ shape: [2], dtype: 'string', name: 'tag' });
    const ids = vectorize.apply(text) as ReturnType<typeof input>;
    const h = layers.lstm({ units: 3 }).apply(layers.embedding({ inputDim: 20, outputDim: 2 }).apply(ids) as ReturnType<typeof input>) as ReturnType<typeof input>;
    const t = layers.flatten().apply(layers.embedding({ inputDim: 4, outputDim: 2 }).apply(tags.apply(tag) as ReturnType<typeof input>) as ReturnType<typeof input>) as ReturnType<typeof input>;
    const m = new Model({ inputs: [text, tag], outputs: layers.dense({ units: 1 }).apply(layers.concatenate().apply([h, t]) as ReturnType<typeof input>[]) as ReturnType<typeof input>, name: 'raw' });
    const x = [tf.tensor([['win money now'], ['lunch at noon']]), tf.tensor([['spam', 'ham'], ['eggs', 'ham']])];
    const expected = values(m.predict(x) as tf.Tensor);
    const file = path.join(tempDir(), 'raw.keras');
    await saveModel(m, file);

    // What Keras 3 writes for adapted layers: no vocabulary in the config, one line per entry in assets.
    const asAdaptedByKeras = (vocabularyOf: (layer: string) => string[] | null) => {
      const zip = ZipArchive.read(fs.readFileSync(file), file, { maxEntries: 10, maxEntryBytes: 1e8, maxTotalBytes: 1e8, maxRatio: 1000 });
      const config = JSON.parse(zip.get('config.json').toString()) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      const assets: { name: string; data: Buffer }[] = [];
      for (const layer of config.config.layers) {
        if (layer.class_name !== 'TextVectorization' && layer.class_name !== 'StringLookup') continue;
        const vocabulary = vocabularyOf(layer.class_name);
        layer.config.vocabulary = null;
        if (vocabulary !== null) assets.push({ name: `assets/layers/${kerasSnakeCase(layer.class_name)}/vocabulary.txt`, data: Buffer.from(vocabulary.join('\n')) });
      }
      const adapted = path.join(tempDir(), 'adapted.keras');
      const entries = zip.entries.map((e) => ({ name: e.name, data: e.name === 'config.json' ? Buffer.from(JSON.stringify(config)) : zip.get(e.name) }));
      fs.writeFileSync(adapted, writeZip([...entries, ...assets]));
      return adapted;
    };
    const own = (className: string) => (className === 'TextVectorization' ? vectorize : tags).getVocabulary();
    const loaded = await loadModel(asAdaptedByKeras(own));
    expect(values(loaded.predict(x) as tf.Tensor)).toEqual(expected);
    expect((loaded.getLayer('vectorize') as TextVectorization).getVocabulary()).toEqual(vectorize.getVocabulary());

    // A vocabulary of another size than the config says is refused, naming the asset.
    const shorter = (className: string) => own(className).slice(0, -1);
    expect(await refusal(() => loadModel(asAdaptedByKeras(shorter)))).toMatch(/assets\/layers\/text_vectorization\/vocabulary\.txt: .*the vocabulary has \d+ entries .* but vocabularySize says \d+/);
    // Without the asset the model loads and the layer says what it lacks when called.
    const bare = await loadModel(asAdaptedByKeras(() => null));
    expect(() => bare.predict(x)).toThrow(/does not hold it .* set it with setVocabulary\(\)/);
  });

  test('what the .keras path does not take is refused clearly', async () => {
    const m = textModel();
    expect(() => loadModelSync(path.join(tempDir(), 'm.keras'))).toThrow(/a Keras \.keras file is read asynchronously .*await loadModel\(path\)/);
    await expect(saveModel(m, path.join(tempDir(), 'm.keras'), { includeOptimizer: true })).rejects.toThrow(/includeOptimizer is not supported for \.keras files/);
    expect(() => saveModel(m, path.join(tempDir(), 'm.h5'))).toThrow(/writing Keras 2 \.h5 files is not supported/);
  });
});

describe('damaged and hostile Keras files are refused, naming the problem', () => {
  beforeAll(() => setSeed(42));

  test('a path-traversal entry or a zip bomb in a .keras archive', async () => {
    const file = path.join(tempDir(), 'm.keras');
    await saveModel(textModel(), file);
    const zip = ZipArchive.read(fs.readFileSync(file), file, { maxEntries: 10, maxEntryBytes: 1e8, maxTotalBytes: 1e8, maxRatio: 1000 });
    const entries = zip.entries.map((e) => ({ name: e.name, data: zip.get(e.name) }));
    fs.writeFileSync(file, writeZip([...entries, { name: 'assets/../../../etc/cron.d/job', data: Buffer.from('x') }]));
    expect(await refusal(() => loadModel(file))).toMatch(/entry "assets\/\.\.\/\.\.\/\.\.\/etc\/cron\.d\/job": refused: a "\.\." segment \(path traversal\)/);
    fs.writeFileSync(file, writeZip([...entries, { name: 'assets/padding.bin', data: new Uint8Array(64 << 20) }], { deflate: true }));
    expect(await refusal(() => loadModel(file))).toMatch(/entry assets\/padding\.bin: expands \d+ bytes to 67108864, more than 200 times \(a zip bomb\?\)/);
  });

  test('an HDF5 dataset that declares more data than the file holds, and a damaged HDF5 file', async () => {
    const m = new Sequential({ name: 'd' });
    m.add(layers.dense({ units: 13, inputShape: [7], name: 'dense' }));
    // A chunked dataset resized to 7 x 13,000,000 floats with nothing written: a small file declaring 364 MB.
    const rt = await hdf5();
    const scratch = rt.scratchName();
    const f = new rt.lib.File(scratch, 'w') as unknown as CraftingFile;
    f.create_group('layers');
    f.create_group('layers/dense');
    f.create_group('layers/dense/vars');
    f.create_dataset({ name: 'layers/dense/vars/0', data: new Float32Array(7 * 13), shape: [7, 13], dtype: '<f', maxshape: [7, null], chunks: [7, 13] }).resize([7, 13_000_000]);
    f.create_dataset({ name: 'layers/dense/vars/1', data: new Float32Array(13), shape: [13], dtype: '<f' });
    f.close();
    const file = path.join(tempDir(), 'huge.weights.h5');
    fs.writeFileSync(file, rt.lib.FS.readFile(scratch));
    rt.lib.FS.unlink(scratch);
    expect(fs.statSync(file).size).toBeLessThan(100_000);
    expect(await refusal(() => loadWeights(m, file))).toMatch(/weights: layers\/dense\/vars\/0: declares 364000000 bytes, more than the file's \d+: a damaged or crafted file/);

    // The kernel's dataspace (7 and 13 as 8-byte integers) overwritten: HDF5 itself finds the file inconsistent.
    const archive = path.join(tempDir(), 'd.keras');
    await saveModel(m, archive);
    editArchive(archive, 'model.weights.h5', (h5) => {
      const dims = Buffer.alloc(16);
      dims.writeBigUInt64LE(7n, 0);
      dims.writeBigUInt64LE(13n, 8);
      const patched = Buffer.from(h5);
      for (let at = patched.indexOf(dims); at >= 0; at = patched.indexOf(dims, at + 16)) patched.writeBigUInt64LE(7_000_000n, at);
      return patched;
    });
    expect(await refusal(() => loadModel(archive))).toMatch(/model\.weights\.h5: layers\/dense\/vars\/0: cannot be read \(a damaged file\?\)/);
    // A weights file cut short, and one that is not HDF5 at all.
    const cut = path.join(tempDir(), 'cut.weights.h5');
    await saveWeights(m, cut);
    fs.truncateSync(cut, 1000);
    expect(await refusal(() => loadWeights(m, cut))).toMatch(/cut\.weights\.h5: 1 problem\n {2}- not an HDF5 file, or a damaged one/);
    const text = path.join(tempDir(), 'notes.h5');
    fs.writeFileSync(text, 'not HDF5');
    expect(await refusal(() => loadModel(text))).toMatch(/notes\.h5: 1 problem\n {2}- not an HDF5 file, or a damaged one/);
  });

  test('200 weights files with damaged bytes (seeded): each loads or is refused with a bounded ConfigError, none crashes or hangs (a hang fails on the test timeout)', async () => {
    const file = path.join(tempDir(), 'base.keras');
    await saveModel(textModel(), file);
    const zip = ZipArchive.read(fs.readFileSync(file), file, { maxEntries: 10, maxEntryBytes: 1e8, maxTotalBytes: 1e8, maxRatio: 1000 });
    const entries = zip.entries.map((e) => ({ name: e.name, data: zip.get(e.name) }));
    const h5 = zip.get('model.weights.h5');
    const random = makeRandom(20261203);
    const below = (n: number) => Math.floor(random() * n);
    // HDF5 has no checksums on data or on most metadata, so a damaged byte can pass unnoticed; what matters is
    // that no damage gets past the reader as anything but a ConfigError, and that each file is dealt with quickly.
    const damage = [
      (b: Buffer) => { for (let k = 1 + below(4); k > 0; k--) b[below(b.length)] = below(256); return b; },
      (b: Buffer) => { for (let k = 1 + below(3); k > 0; k--) b[below(Math.min(2048, b.length))] = below(256); return b; },
      (b: Buffer) => b.subarray(0, below(b.length)),
      (b: Buffer) => { b.writeBigUInt64LE([0xffffffffffffffffn, 0n, 1n << 40n, BigInt(b.length * 3)][below(4)], below(b.length - 8)); return b; },
    ];
    const outcomes = { loaded: 0, refused: 0 };
    const damaged = path.join(tempDir(), 'damaged.keras');
    for (let i = 0; i < 200; i++) {
      const bytes = damage[i % damage.length](Buffer.from(h5));
      fs.writeFileSync(damaged, writeZip(entries.map((e) => (e.name === 'model.weights.h5' ? { name: e.name, data: bytes } : e))));
      try {
        (await loadModel(damaged)).dispose();
        outcomes.loaded++;
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as Error).message.length).toBeLessThan(20_000);
        outcomes.refused++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(100);
  }, 120_000);

  test('weights that do not fit the model: every mismatch at once', async () => {
    const file = path.join(tempDir(), 'm.keras');
    await saveModel(textModel(), file);
    editArchive(file, 'config.json', (text) => Buffer.from(text.toString().replace('"units":5', '"units":6').replace('"units":3', '"units":4')));
    const message = await refusal(() => loadModel(file));
    expect(message).toMatch(/model\.weights\.h5: layers\/gru\/cell\/vars\/0: shape \[4, 15\] does not match the model's 'gru\w*\/kernel' of shape \[4, 18\]/);
    expect(message).toMatch(/layers\/lstm\/cell\/vars\/1: shape \[3, 12\] does not match the model's 'lstm\w*\/recurrent_kernel' of shape \[4, 16\]/);
    const other = new Sequential({ name: 'other' });
    other.add(layers.dense({ units: 2, inputShape: [3] }));
    expect(await refusal(() => loadWeights(other, file))).toMatch(/model\.weights\.h5: layers\/dense\/vars\/0: missing: no value for the model's weight 'dense\S*\/kernel'/);
  });
});
