/**
 * Crafted model folders: special files, links out of the folder, oversized and mismatched shards,
 * optimizer state beyond the limits. Each is refused with a ConfigError naming the file, before any
 * large allocation: the bytes read from the files are counted (fs.readSync, the only read the loader
 * makes), and big files are sparse, so they cost no disk.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
// The 'fs' module object itself (not a namespace copy), whose functions the loader calls: spied on below.
import nodeFs = require('fs');
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { Sequential } from '../models/sequential';
import { setSeed } from '../engine/random';
import { ConfigError } from '../config/config_error';
import { compileModel } from '../training/compile_args';
import { modelToKerasConfig } from '../config/model_to_json';
import { saveModel } from './save_model';
import { loadModel, loadModelSync, type LoadModelOptions } from './load_model';
import { checkModelFiles } from './check_model_files';
import { loadWeights } from './keras/keras_weights';
import { READ_PIECE_BYTES } from './safe_files';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-corrupt-'));
  setSeed(5);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A saved, compiled model with optimizer state, in a fresh folder. */
function savedFolder(): string {
  const model = new Sequential({ name: 'small' });
  model.add(layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }));
  model.add(layers.dense({ units: 2, name: 'dense' }));
  compileModel(model, { optimizer: 'adam', loss: 'mse' });
  const x = tf.ones([2, 4, 2]);
  const y = tf.zeros([2, 2]);
  model.trainOnBatch(x, y);
  const dir = path.join(root, `model-${folders++}`);
  saveModel(model, dir, { includeOptimizer: true });
  tf.dispose([x, y]);
  model.dispose();
  return dir;
}

/** Bytes the loader reads from files whose path contains `part` while `action` runs (and until its Promise settles). */
function bytesRead(part: string, action: () => void): number;
function bytesRead(part: string, action: () => Promise<void>): Promise<number>;
function bytesRead(part: string, action: () => void | Promise<void>): number | Promise<number> {
  const { openSync, readSync } = nodeFs;
  // Descriptors are reused: follow which path each one has now, as the calls happen.
  const opened = new Map<number, string>();
  let total = 0;
  const open = jest.spyOn(nodeFs, 'openSync').mockImplementation(((...args: Parameters<typeof openSync>) => {
    const fd = openSync(...args);
    opened.set(fd, String(args[0]));
    return fd;
  }) as typeof openSync);
  const read = jest.spyOn(nodeFs, 'readSync').mockImplementation(((fd: number, ...rest: unknown[]) => {
    const n = (readSync as (...a: unknown[]) => number)(fd, ...rest);
    if ((opened.get(fd) ?? '').includes(part)) total += n;
    return n;
  }) as typeof readSync);
  const restore = () => {
    open.mockRestore();
    read.mockRestore();
  };
  let result: void | Promise<void>;
  try {
    result = action();
  } catch (e) {
    restore();
    throw e;
  }
  if (!(result instanceof Promise)) {
    restore();
    return total;
  }
  return result.then(() => total).finally(restore);
}

/** The message of a ConfigError caught from a loader. */
function configErrorMessage(e: unknown): string {
  expect(e).toBeInstanceOf(ConfigError);
  return (e as Error).message;
}

/** Checks that a refusal was given and that nothing of the refused file was read; the refusal. */
function refusedUnread(refusal: string, bytes: number): string {
  expect(refusal).not.toBe('');
  expect(bytes).toBe(0);
  return refusal;
}

/** The ConfigError message of loading `location`, checking that nothing of `part` was read. */
function refusal(location: string, part: string, opts: LoadModelOptions = {}): string {
  let message = '';
  const read = bytesRead(part, () => {
    try {
      loadModelSync(location, opts).dispose();
    } catch (e) {
      message = configErrorMessage(e);
    }
  });
  return refusedUnread(message, read);
}

/** The problems validate (checkModelFiles) lists for `location`, checking that nothing of `part` was read. */
async function validateRefusal(location: string, part: string): Promise<string> {
  let problems = '';
  const read = await bytesRead(part, async () => {
    problems = (await checkModelFiles(location)).problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  });
  return refusedUnread(problems, read);
}

/** The ConfigError message of loading (asynchronously: Keras files) `location`, checking that nothing of `part` was read. */
async function asyncRefusal(location: string, part: string, load: (file: string) => Promise<unknown> = (f) => loadModel(f)): Promise<string> {
  let message = '';
  const read = await bytesRead(part, () => load(location).then(() => undefined, (e) => void (message = configErrorMessage(e))));
  return refusedUnread(message, read);
}

/** A sparse file of `bytes` bytes: no disk used, no data to read unless the loader reads it. */
function sparse(file: string, bytes: number): void {
  fs.rmSync(file, { force: true });
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
}

function fifo(file: string): void {
  fs.rmSync(file, { force: true });
  execFileSync('mkfifo', [file]);
}

function editJson(file: string, edit: (json: Record<string, any>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

describe('special files are refused on the opened descriptor, without reading or blocking', () => {
  test('model.json as a link to /dev/zero, a FIFO, or a folder', () => {
    const dir = savedFolder();
    const json = path.join(dir, 'model.json');
    fs.rmSync(json);
    fs.symlinkSync('/dev/zero', json);
    expect(refusal(json, 'model.json')).toMatch(/model\.json: 1 problem\n {2}- the model\.json is a device, not a regular file/);
    expect(refusal(dir, 'model.json')).toMatch(/- the model\.json resolves to \/dev\/zero, outside the folder/);
    fs.rmSync(json);
    fifo(json);
    expect(refusal(dir, 'model.json')).toMatch(/the model\.json is a FIFO \(named pipe\), not a regular file/);
    fs.rmSync(json);
    fs.mkdirSync(json);
    expect(refusal(dir, 'model.json')).toMatch(/the model\.json is a folder, not a file/);
  });

  test('optimizer.json as a FIFO, a link to /dev/zero, or beyond the JSON limit (checked before it is hashed)', () => {
    const dir = savedFolder();
    const optimizer = path.join(dir, 'optimizer.json');
    fifo(optimizer);
    expect(refusal(dir, 'optimizer.json')).toMatch(/optimizer\.json: 1 problem\n {2}- the optimizer state file is a FIFO \(named pipe\), not a regular file/);
    fs.rmSync(optimizer);
    fs.symlinkSync('/dev/zero', optimizer);
    expect(refusal(dir, 'optimizer.json')).toMatch(/optimizer state file resolves to \/dev\/zero, outside the folder/);
    sparse(optimizer, 1.5e9);
    expect(refusal(dir, 'optimizer.json')).toMatch(/the optimizer state file has 1500000000 bytes, more than the limit of 67108864/);
    // Without compiling, the optimizer state is not read at all.
    loadModelSync(dir, { compile: false }).dispose();
    fs.rmSync(optimizer);
    expect(refusal(dir, 'optimizer')).toMatch(/weightsIntegrity\.optimizer\.json: lists optimizer\.json, which is missing; copy the whole folder, or load with \{ compile: false \}/);
    fs.copyFileSync(path.join(savedFolder(), 'optimizer.json'), optimizer);
    expect(refusal(dir, 'optimizer.bin')).toMatch(/optimizer\.json does not belong to this model\.json \(SHA-256 differs\)/);
  });

  test('a shard that is a folder, a FIFO or a device', () => {
    const dir = savedFolder();
    const bin = path.join(dir, 'weights.bin');
    fs.rmSync(bin);
    fs.mkdirSync(bin);
    expect(refusal(dir, 'weights.bin')).toMatch(/weightsManifest\[0\]\.paths\[0\]: weights\.bin: the weights file is a folder, not a file/);
    fs.rmSync(bin, { recursive: true });
    fifo(bin);
    expect(refusal(dir, 'weights.bin')).toMatch(/weights\.bin: the weights file is a FIFO/);
  });
});

describe('files outside the model folder', () => {
  test('a weights file linked to a file elsewhere is refused, unless allowed explicitly', () => {
    const dir = savedFolder();
    const elsewhere = path.join(root, 'elsewhere.bin');
    fs.renameSync(path.join(dir, 'weights.bin'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(dir, 'weights.bin'));
    expect(refusal(dir, 'elsewhere.bin')).toMatch(/weights\.bin: the weights file resolves to .*elsewhere\.bin, outside the folder .*; files a model folder names must be inside it/);
    loadModelSync(dir, { allowFilesOutsideFolder: true }).dispose();
    // A link that stays inside the folder is fine.
    fs.rmSync(path.join(dir, 'weights.bin'));
    fs.renameSync(elsewhere, path.join(dir, 'kept.bin'));
    fs.symlinkSync('kept.bin', path.join(dir, 'weights.bin'));
    loadModelSync(dir).dispose();
  });

  test('a model.json given by its own path is followed; one found in a folder must stay inside it', () => {
    const dir = savedFolder();
    const other = savedFolder();
    const link = path.join(root, 'link-to-model.json');
    fs.symlinkSync(path.join(dir, 'model.json'), link);
    fs.copyFileSync(path.join(dir, 'weights.bin'), path.join(root, 'weights.bin'));
    fs.copyFileSync(path.join(dir, 'optimizer.json'), path.join(root, 'optimizer.json'));
    fs.copyFileSync(path.join(dir, 'optimizer.bin'), path.join(root, 'optimizer.bin'));
    // The files it names are looked for beside the path given (as TensorFlow.js does).
    loadModelSync(link).dispose();
    fs.rmSync(path.join(other, 'model.json'));
    fs.symlinkSync(path.join(dir, 'model.json'), path.join(other, 'model.json'));
    expect(refusal(other, 'model.json')).toMatch(/the model\.json resolves to .*, outside the folder/);
  });
});

describe('shards are checked against the manifest and the topology before any is read', () => {
  test('an oversized shard', () => {
    const dir = savedFolder();
    sparse(path.join(dir, 'weights.bin'), 3 * 2 ** 30);
    expect(refusal(dir, 'weights.bin')).toMatch(/weightsIntegrity\.weights\.bin: weights\.bin holds 3221225472 bytes, but this model\.json was saved with \d+: the files come from different saves/);
    editJson(path.join(dir, 'model.json'), (json) => delete json.weightsIntegrity['weights.bin']);
    expect(refusal(dir, 'weights.bin')).toMatch(/weights\.bin holds 3221225472 bytes but the manifest declares \d+ \(larger than declared/);
  });

  test('two large shards whose manifest names a weight the topology rules out', () => {
    const dir = savedFolder();
    editJson(path.join(dir, 'model.json'), (json) => {
      delete json.weightsIntegrity;
      const elements = 1.95e9 / 4;
      json.weightsManifest.push({
        paths: ['big1.bin', 'big2.bin'],
        weights: [{ name: 'intruder/kernel', shape: [elements], dtype: 'float32' }, { name: 'intruder/bias', shape: [elements], dtype: 'float32' }],
      });
    });
    sparse(path.join(dir, 'big1.bin'), 1.95e9);
    sparse(path.join(dir, 'big2.bin'), 1.95e9);
    const message = refusal(dir, 'big');
    expect(message).toMatch(/weightsManifest: intruder\/kernel: the model has no weight of this name/);
    expect(message).toMatch(/weightsManifest: intruder\/bias: the model has no weight of this name/);
  });

  test('a large shard is read in bounded pieces straight into the weight', () => {
    // 38.4 million parameters (154 MB): more than two pieces of READ_PIECE_BYTES.
    const model = new Sequential();
    model.add(layers.embedding({ inputDim: 600_000, outputDim: 64, inputShape: [2], name: 'emb' }));
    const dir = path.join(root, `large-${folders++}`);
    fs.mkdirSync(dir);
    const bytes = 600_000 * 64 * 4;
    sparse(path.join(dir, 'weights.bin'), bytes);
    const file = path.join(dir, 'weights.bin');
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from(new Float32Array([1.5]).buffer), 0, 4, bytes - 4);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      modelTopology: modelToKerasConfig(model),
      weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'emb/embeddings', shape: [600_000, 64], dtype: 'float32' }] }],
    }));
    model.dispose();
    const read = jest.spyOn(nodeFs, 'readSync');
    let loaded: ReturnType<typeof loadModelSync> | undefined;
    try {
      loaded = loadModelSync(dir);
    } finally {
      const lengths = read.mock.calls.map((args) => Number((args as unknown[])[3]));
      read.mockRestore();
      expect(Math.max(...lengths)).toBeLessThanOrEqual(READ_PIECE_BYTES);
      expect(lengths.filter((n) => n > 1e6).length).toBeGreaterThanOrEqual(3);
    }
    const values = loaded!.weights[0].read().dataSync();
    expect(values[values.length - 1]).toBe(1.5);
    expect(values[0]).toBe(0);
    loaded!.dispose();
  });
});

describe('validate runs the same checks, and Keras files open through the same safe reader', () => {
  test('validate lists the refusals of special files, links out, oversized shards and weights the topology rules out, reading none of them', async () => {
    const special = savedFolder();
    fs.rmSync(path.join(special, 'weights.bin'));
    fifo(path.join(special, 'weights.bin'));
    expect(await validateRefusal(special, 'weights.bin')).toMatch(/weightsManifest\[0\]\.paths\[0\]: weights\.bin: the weights file is a FIFO/);
    const linked = savedFolder();
    fs.rmSync(path.join(linked, 'model.json'));
    fs.symlinkSync('/dev/zero', path.join(linked, 'model.json'));
    expect(await validateRefusal(linked, 'model.json')).toMatch(/the model\.json resolves to \/dev\/zero, outside the folder/);
    const oversized = savedFolder();
    sparse(path.join(oversized, 'weights.bin'), 3 * 2 ** 30);
    expect(await validateRefusal(oversized, 'weights.bin')).toMatch(/weights\.bin holds 3221225472 bytes, but this model\.json was saved with \d+/);
    const intruder = savedFolder();
    editJson(path.join(intruder, 'model.json'), (json) => {
      delete json.weightsIntegrity;
      json.weightsManifest.push({ paths: ['big.bin'], weights: [{ name: 'intruder/kernel', shape: [1.95e9 / 4], dtype: 'float32' }] });
    });
    sparse(path.join(intruder, 'big.bin'), 1.95e9);
    expect(await validateRefusal(intruder, 'big')).toMatch(/weightsManifest: intruder\/kernel: the model has no weight of this name/);
  });

  test('validate compares the bytes of a folder with the hashes model.json records, as loading does', async () => {
    const dir = savedFolder();
    const other = savedFolder();
    expect((await checkModelFiles(dir)).problems).toEqual([]);
    fs.copyFileSync(path.join(other, 'weights.bin'), path.join(dir, 'weights.bin'));
    const check = await checkModelFiles(dir);
    expect(check.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^weights\.bin does not match this model\.json \(SHA-256 differs\)/)]);
  });

  test('a FIFO, a link to /dev/zero, a folder or an oversized file named like a Keras file: refused without blocking or reading', async () => {
    const dir = path.join(root, `keras-${folders++}`);
    fs.mkdirSync(dir);
    const pipe = path.join(dir, 'pipe.keras');
    fifo(pipe);
    expect(await asyncRefusal(pipe, 'pipe')).toMatch(/pipe\.keras: 1 problem\n {2}- the Keras \.keras archive is a FIFO \(named pipe\), not a regular file/);
    expect(await validateRefusal(pipe, 'pipe')).toMatch(/the Keras \.keras archive is a FIFO/);
    const zero = path.join(dir, 'zero.h5');
    fs.symlinkSync('/dev/zero', zero);
    expect(await asyncRefusal(zero, 'zero')).toMatch(/the Keras \.h5 file is a device, not a regular file/);
    const folder = path.join(dir, 'folder.keras');
    fs.mkdirSync(folder);
    expect(await asyncRefusal(folder, 'folder')).toMatch(/the Keras \.keras archive is a folder, not a file/);
    const huge = path.join(dir, 'huge.weights.h5');
    sparse(huge, 6 * 2 ** 30);
    const model = new Sequential();
    model.add(layers.dense({ units: 2, inputShape: [3] }));
    expect(await asyncRefusal(huge, 'huge', (f) => loadWeights(model, f))).toMatch(/the Keras weights file has 6442450944 bytes, more than the limit of \d+/);
    model.dispose();
  });
});
