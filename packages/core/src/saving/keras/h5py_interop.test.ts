/**
 * Keras files checked against the HDF5 library Keras itself uses, h5py (Debian's python3-h5py; Keras cannot
 * be installed here): our files read by h5py dataset by dataset (path, shape, dtype, every value), and files
 * that h5py writes in Keras's exact layouts (keras/src/saving/saving_lib.py for .keras and .weights.h5,
 * keras/src/legacy/saving/legacy_h5_format.py for Keras 2 .h5) read here. Without python3-h5py these tests
 * are skipped with a note (`.ci/run` installs it when it can).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { setSeed } from '../../engine/random';
import { layers } from '../../layers';
import { Model } from '../../models/model';
import { Sequential } from '../../models/sequential';
import { getCompileConfig } from '../../training/compile_args';
import { loadModel } from '../load_model';
import { saveModel } from '../save_model';
import { loadWeights, saveWeights } from './keras_weights';
import keras3Sequential from '../../config/fixtures/keras3_sequential_lstm.json';
import keras3Seq2seq from '../../config/fixtures/keras3_functional_seq2seq.json';
import keras2Sequential from '../../config/fixtures/keras2_sequential_lstm.json';
import { temporaryFolders } from '../__tests__/temp_dirs';

/** The first Python that has h5py: $RECURRENT_H5PY_PYTHON, python3 on the PATH, Debian's own. */
function findH5pyPython(): string | null {
  const candidates = [process.env.RECURRENT_H5PY_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => typeof c === 'string' && c !== '');
  for (const python of new Set(candidates)) {
    try {
      execFileSync(python, ['-c', 'import h5py, numpy'], { stdio: 'ignore', timeout: 60_000 });
      return python;
    } catch {
      /* not this one */
    }
  }
  return null;
}

const python = findH5pyPython();
if (python === null) {
  console.warn('[h5py_interop.test.ts] python3-h5py is not installed: the cross-reads with h5py are skipped (apt-get install python3-h5py to run them).');
}
const describeWithH5py = python === null ? describe.skip : describe;

function runPython(script: string, args: string[]): unknown {
  const out = execFileSync(python!, ['-c', script, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

/** Every group and dataset of an HDF5 file (inside a .keras archive too, opened as Keras opens it). */
const DUMP = String.raw`
import h5py, json, sys, zipfile
import numpy as np
target = sys.argv[1]
out = {}
def text(v):
    return v.decode('utf8') if isinstance(v, bytes) else (v.tolist() if hasattr(v, 'tolist') else v)
def visit(name, obj):
    attrs = {k: text(v) for k, v in obj.attrs.items()}
    if isinstance(obj, h5py.Dataset):
        out['datasets'][name] = {'shape': list(obj.shape), 'dtype': str(obj.dtype), 'values': [float(x) for x in np.asarray(obj[()]).ravel()]}
    else:
        out['groups'][name] = attrs
def dump(f):
    out['datasets'] = {}
    out['groups'] = {'/': {k: text(v) for k, v in f.attrs.items()}}
    f.visititems(visit)
if zipfile.is_zipfile(target):
    with zipfile.ZipFile(target) as zf:
        out['crc'] = zf.testzip()
        out['entries'] = [[i.filename, i.compress_type] for i in zf.infolist()]
        out['config'] = json.loads(zf.read('config.json'))
        out['metadata'] = json.loads(zf.read('metadata.json'))
        with zf.open('model.weights.h5') as h:
            with h5py.File(h, 'r') as f:
                dump(f)
else:
    with h5py.File(target, 'r') as f:
        dump(f)
print(json.dumps(out))
`;

/**
 * Keras 3's layout, as saving_lib's H5IOStore writes it: for each object path a `<path>/vars` group (with the
 * object's name), its variables as datasets "0", "1"...; then the archive as Python's zipfile stores it.
 * argv: output file, config.json text, JSON list of [object path, name, [shapes...]]. Prints the values.
 */
const WRITE_KERAS3 = String.raw`
import h5py, io, json, sys, zipfile
import numpy as np
target, config, objects = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
rng = np.random.default_rng(7)
values = {}
def fill(f):
    for path, name, shapes in objects:
        group = f.create_group('vars') if path == '' else f.create_group(path).create_group('vars')
        group.attrs['name'] = name
        for i, shape in enumerate(shapes):
            value = rng.standard_normal(shape).astype('float32')
            group[str(i)] = value
            values[(path + '/' if path else '') + 'vars/' + str(i)] = [float(x) for x in value.ravel()]
if target.endswith('.keras'):
    buffer = io.BytesIO()
    with h5py.File(buffer, 'w') as f:
        fill(f)
    with zipfile.ZipFile(target, 'w') as zf:
        zf.writestr('metadata.json', json.dumps({'keras_version': '3.8.0', 'date_saved': '2025-01-01@00:00:00'}))
        zf.writestr('config.json', config)
        zf.writestr('model.weights.h5', buffer.getvalue())
else:
    with h5py.File(target, 'w') as f:
        fill(f)
print(json.dumps(values))
`;

/**
 * Keras 2's layout (legacy_h5_format.save_model_to_hdf5): root attributes model_config, training_config,
 * keras_version, backend; `model_weights` with layer_names, and per layer a group with weight_names whose
 * datasets sit at those (nested) names. With argv[2] = '' only the weights are written, at the root, as
 * save_weights does. argv: output, model config text, JSON list of [layer, [[weight name, shape]...]].
 */
const WRITE_KERAS2 = String.raw`
import h5py, json, sys
import numpy as np
target, config, layers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
rng = np.random.default_rng(11)
values = {}
with h5py.File(target, 'w') as f:
    if config:
        f.attrs['keras_version'] = b'2.15.0'
        f.attrs['backend'] = b'tensorflow'
        f.attrs['model_config'] = config.encode('utf8')
        f.attrs['training_config'] = json.dumps({'loss': 'binary_crossentropy', 'metrics': [[{'class_name': 'MeanMetricWrapper', 'config': {'name': 'accuracy', 'dtype': 'float32', 'fn': 'binary_accuracy'}}]], 'weighted_metrics': None, 'loss_weights': None, 'optimizer_config': {'class_name': 'Custom>Adam', 'config': {'name': 'Adam', 'weight_decay': None, 'clipnorm': None, 'global_clipnorm': None, 'clipvalue': None, 'use_ema': False, 'ema_momentum': 0.99, 'ema_overwrite_frequency': None, 'jit_compile': True, 'is_legacy_optimizer': False, 'learning_rate': 0.0005, 'beta_1': 0.9, 'beta_2': 0.999, 'epsilon': 1e-07, 'amsgrad': False}}}).encode('utf8')
        g = f.create_group('model_weights')
    else:
        g = f
    g.attrs['layer_names'] = [name.encode('utf8') for name, _ in layers]
    g.attrs['backend'] = b'tensorflow'
    g.attrs['keras_version'] = b'2.15.0'
    for name, weights in sorted(layers, key=lambda l: l[0]):
        lg = g.create_group(name)
        lg.attrs['weight_names'] = [w.encode('utf8') for w, _ in weights]
        for w, shape in weights:
            value = rng.standard_normal(shape).astype('float32')
            lg.create_dataset(w, value.shape, dtype=value.dtype)[:] = value
            values[name + '/' + w] = [float(x) for x in value.ravel()]
print(json.dumps(values))
`;

interface Dump {
  crc?: string | null;
  entries?: [string, number][];
  config?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  datasets: Record<string, { shape: number[]; dtype: string; values: number[] }>;
  groups: Record<string, Record<string, unknown>>;
}

const tempDir = temporaryFolders('recurrent-h5py-');

const values = (t: tf.Tensor | tf.Tensor[]) => [t].flat().map((x) => Array.from(x.dataSync()));

function taggerModel(): Sequential {
  const m = new Sequential({ name: 'tagger' });
  m.add(layers.embedding({ inputDim: 12, outputDim: 4, inputShape: [6], name: 'embedding' }));
  m.add(layers.gru({ units: 5, returnSequences: true, name: 'gru' }));
  m.add(layers.lstm({ units: 3, returnSequences: true, name: 'lstm' }));
  m.add(layers.timeDistributed({ layer: layers.dense({ units: 2, name: 'dense' }), name: 'time_distributed' }));
  m.add(layers.timeDistributed({ layer: layers.dense({ units: 1, name: 'dense_1' }), name: 'time_distributed_1' }));
  return m;
}

describeWithH5py('our Keras files, read by h5py', () => {
  beforeAll(() => setSeed(51));

  test('.keras: the archive as zipfile reads it; every dataset at its Keras path, with its shape and values', async () => {
    const m = taggerModel();
    const file = path.join(tempDir(), 'tagger.keras');
    await saveModel(m, file);
    const dump = runPython(DUMP, [file]) as Dump;
    expect(dump.crc).toBeNull();
    expect(dump.entries).toEqual([['metadata.json', 0], ['config.json', 0], ['model.weights.h5', 0]]);
    expect(dump.metadata).toMatchObject({ keras_version: '3.0.0' });
    expect(dump.config).toMatchObject({ module: 'keras', class_name: 'Sequential', registered_name: null });
    // Keras's layout: a model's layers by class name (a second Dense-holding TimeDistributed is time_distributed_1).
    const expected: [string, string][] = [
      ['layers/embedding/vars/0', 'embedding/embeddings'],
      ['layers/gru/cell/vars/0', 'gru/kernel'], ['layers/gru/cell/vars/1', 'gru/recurrent_kernel'], ['layers/gru/cell/vars/2', 'gru/bias'],
      ['layers/lstm/cell/vars/0', 'lstm/kernel'], ['layers/lstm/cell/vars/1', 'lstm/recurrent_kernel'], ['layers/lstm/cell/vars/2', 'lstm/bias'],
      ['layers/time_distributed/layer/vars/0', 'time_distributed/kernel'], ['layers/time_distributed/layer/vars/1', 'time_distributed/bias'],
      ['layers/time_distributed_1/layer/vars/0', 'time_distributed_1/kernel'], ['layers/time_distributed_1/layer/vars/1', 'time_distributed_1/bias'],
    ];
    expect(Object.keys(dump.datasets).sort()).toEqual(expected.map(([p]) => p).sort());
    const byName = new Map(m.weights.map((w) => [w.name, w]));
    for (const [p, name] of expected) {
      const w = byName.get(name)!;
      const stored = dump.datasets[p];
      expect({ p, shape: stored.shape, dtype: stored.dtype }).toEqual({ p, shape: w.shape, dtype: 'float32' });
      expect(stored.values).toEqual(Array.from(w.read().dataSync()));
    }
    for (const g of ['vars', 'layers/gru/vars', 'layers/gru/cell/vars', 'layers/time_distributed/layer/vars']) expect(dump.groups[g]).toHaveProperty('name');
    expect(dump.groups['layers/time_distributed/vars']).toEqual({ name: 'time_distributed' });
  });

  test('a functional model with Bidirectional: forward_layer and backward_layer, input layers by class', async () => {
    const x = input({ shape: [4, 3], name: 'x' });
    const h = layers.bidirectional({ layer: layers.lstm({ units: 2, returnSequences: true, name: 'lstm' }), name: 'bidirectional' }).apply(x) as ReturnType<typeof input>;
    const y = layers.dense({ units: 1, name: 'dense' }).apply(h) as ReturnType<typeof input>;
    const m = new Model({ inputs: x, outputs: y, name: 'bi' });
    const file = path.join(tempDir(), 'bi.weights.h5');
    await saveWeights(m, file);
    const dump = runPython(DUMP, [file]) as Dump;
    expect(Object.keys(dump.datasets).sort()).toEqual([
      'layers/bidirectional/backward_layer/cell/vars/0', 'layers/bidirectional/backward_layer/cell/vars/1', 'layers/bidirectional/backward_layer/cell/vars/2',
      'layers/bidirectional/forward_layer/cell/vars/0', 'layers/bidirectional/forward_layer/cell/vars/1', 'layers/bidirectional/forward_layer/cell/vars/2',
      'layers/dense/vars/0', 'layers/dense/vars/1',
    ]);
    expect(dump.datasets['layers/bidirectional/backward_layer/cell/vars/1'].values).toEqual(Array.from(m.getLayer('bidirectional').weights[4].read().dataSync()));
    expect(dump.groups).toHaveProperty(['layers/input_layer/vars']);
  });
});

describeWithH5py('files h5py writes in Keras\'s layouts, read here', () => {
  test('a Keras 3 .keras archive (functional seq2seq: two LSTMs are layers/lstm and layers/lstm_1)', async () => {
    const file = path.join(tempDir(), 'seq2seq.keras');
    const objects = [
      ['', 'functional', []],
      ['layers/input_layer', 'encoder_inputs', []],
      ['layers/input_layer_1', 'decoder_inputs', []],
      ['layers/lstm', 'encoder', []], ['layers/lstm/cell', 'lstm_cell', [[5, 32], [8, 32], [32]]],
      ['layers/lstm_1', 'decoder', []], ['layers/lstm_1/cell', 'lstm_cell', [[6, 32], [8, 32], [32]]],
      ['layers/dense', 'next_char', [[8, 6], [6]]],
    ];
    const written = runPython(WRITE_KERAS3, [file, JSON.stringify(keras3Seq2seq), JSON.stringify(objects)]) as Record<string, number[]>;
    const model = await loadModel(file);
    const expect32 = (name: string, p: string) => expect(Array.from(model.weights.find((w) => w.name === name)!.read().dataSync())).toEqual(written[p].map(Math.fround));
    expect32('encoder/kernel', 'layers/lstm/cell/vars/0');
    expect32('encoder/bias', 'layers/lstm/cell/vars/2');
    expect32('decoder/recurrent_kernel', 'layers/lstm_1/cell/vars/1');
    expect32('next_char/kernel', 'layers/dense/vars/0');
    expect32('next_char/bias', 'layers/dense/vars/1');
  });

  test('a Keras 3 .keras archive with a compile_config, and the same weights as a .weights.h5', async () => {
    const objects = [['', 'sentiment', []], ['layers/embedding', 'embedding', [[1000, 16]]], ['layers/lstm', 'lstm', []], ['layers/lstm/cell', 'lstm_cell', [[16, 128], [32, 128], [128]]], ['layers/dense', 'dense', [[32, 1], [1]]]];
    const file = path.join(tempDir(), 'sentiment.keras');
    const written = runPython(WRITE_KERAS3, [file, JSON.stringify(keras3Sequential), JSON.stringify(objects)]) as Record<string, number[]>;
    const model = await loadModel(file);
    expect(getCompileConfig(model)).toMatchObject({ optimizer: { className: 'Adam' }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const weightsFile = path.join(tempDir(), 'sentiment.weights.h5');
    runPython(WRITE_KERAS3, [weightsFile, '', JSON.stringify(objects)]);
    const again = await loadModel(file, { compile: false });
    await loadWeights(again, weightsFile);
    const x = tf.tensor2d([[5, 9, 400, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    expect(values(again.predict(x))).toEqual(values(model.predict(x)));
    expect(Array.from(model.weights[0].read().dataSync().slice(0, 4))).toEqual(written['layers/embedding/vars/0'].slice(0, 4).map(Math.fround));
    x.dispose();
  });

  test('a Keras 2 .h5 model (Custom>Adam, MeanMetricWrapper) and a Keras 2 save_weights file', async () => {
    const weights = [
      ['embedding', [['embedding/embeddings:0', [1000, 16]]]],
      ['lstm', [['lstm/lstm_cell/kernel:0', [16, 128]], ['lstm/lstm_cell/recurrent_kernel:0', [32, 128]], ['lstm/lstm_cell/bias:0', [128]]]],
      ['dense', [['dense/kernel:0', [32, 1]], ['dense/bias:0', [1]]]],
    ];
    const file = path.join(tempDir(), 'sentiment.h5');
    const written = runPython(WRITE_KERAS2, [file, JSON.stringify(keras2Sequential), JSON.stringify(weights)]) as Record<string, number[]>;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = await loadModel(file);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(getCompileConfig(model)).toMatchObject({ optimizer: { className: 'Adam', config: { learningRate: 0.0005 } }, loss: 'binary_crossentropy' });
    expect(Array.from(model.getLayer('lstm').weights[1].read().dataSync())).toEqual(written['lstm/lstm/lstm_cell/recurrent_kernel:0'].map(Math.fround));
    expect(Array.from(model.getLayer('dense').weights[0].read().dataSync())).toEqual(written['dense/dense/kernel:0'].map(Math.fround));

    const weightsOnly = path.join(tempDir(), 'sentiment_weights.h5');
    const second = runPython(WRITE_KERAS2, [weightsOnly, '', JSON.stringify(weights)]) as Record<string, number[]>;
    await loadWeights(model, weightsOnly);
    expect(Array.from(model.getLayer('embedding').weights[0].read().dataSync().slice(0, 8))).toEqual(second['embedding/embedding/embeddings:0'].slice(0, 8).map(Math.fround));
    const short = weights.slice(0, 2);
    const mismatched = path.join(tempDir(), 'short_weights.h5');
    runPython(WRITE_KERAS2, [mismatched, '', JSON.stringify(short)]);
    await expect(loadWeights(model, mismatched)).rejects.toThrow(/the file has weights for 2 layers \(embedding, lstm\), the model has 3 layers with weights \(embedding, lstm, dense\)/);
  });
});
