import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { dataSchema } from '../experiment/data_schema';
import { ExperimentError } from '../errors';
import { batchTensors } from './example_set';
import { encodeWithState, prepareData } from './prepare';
import { PrepareContext } from './prepared_data';

let dir: string;
let ctx: PrepareContext;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-data-'));
  ctx = { file: path.join(dir, 'experiment.json'), baseDir: dir, seed: 1, loss: 'sparse_categorical_crossentropy' };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
}

function caught(fn: () => unknown): ExperimentError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExperimentError) return e;
    throw e;
  }
  throw new Error('expected an ExperimentError');
}

describe('text data', () => {
  it('windows a corpus and one-hot encodes per batch', () => {
    const section = dataSchema.parse({ kind: 'text', path: write('c.txt', 'abcabcabcabc'), seqLength: 3, step: 2 });
    const prepared = prepareData(section, { ...ctx, loss: 'categorical_crossentropy' });
    expect(prepared.state.dims).toEqual({ vocabSize: 4, seqLength: 3, numClasses: 4, outputSize: 4 });
    expect(prepared.train.size).toBe(5);
    expect(prepared.state.labelEncoding).toBe('oneHot');
    const { xs, ys } = batchTensors(prepared.train, [0, 1]);
    expect(xs[0].shape).toEqual([2, 3, 4]);
    expect(ys[0].shape).toEqual([2, 4]);
    // 'abc' -> ids 1 2 3 -> next 'a'
    expect(Array.from(xs[0].dataSync().slice(0, 12))).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    tf.dispose([...xs, ...ys]);
  });

  it('names the seqLength when the text is too short', () => {
    const section = dataSchema.parse({ kind: 'text', path: write('c.txt', 'ab'), seqLength: 3 });
    const error = caught(() => prepareData(section, ctx));
    expect(error.issues[0].path).toBe('data.seqLength');
  });

  it('names the missing file with data.path', () => {
    const section = dataSchema.parse({ kind: 'text', path: 'nope.txt', seqLength: 3 });
    const error = caught(() => prepareData(section, ctx));
    expect(error.issues[0]).toMatchObject({ path: 'data.path' });
    expect(error.issues[0].message).toContain(path.join(dir, 'nope.txt'));
  });
});

describe('time series data', () => {
  const csv = ['t,value,other', ...Array.from({ length: 20 }, (_, i) => `${i},${i * 2},"${i % 3}"`)].join('\n');

  it('normalises on the training rows and holds out the last rows', () => {
    const section = dataSchema.parse({ kind: 'timeseries', path: write('s.csv', csv), features: ['value', 'other'], targets: ['value'], window: 4, horizon: 2, validationSplit: 0.25 });
    const prepared = prepareData(section, { ...ctx, loss: 'mse' });
    // 15 training rows -> 15 - 4 - 2 + 1 windows; validation rows 15..19 plus 4 rows of history
    expect(prepared.train.size).toBe(10);
    expect(prepared.validation?.size).toBe(4);
    const stats = prepared.state.normalization?.columns[0];
    expect(stats?.mean).toBe(14); // mean of 0, 2, ..., 28
    expect(prepared.state.dims.outputSize).toBe(2);
    expect(prepared.train.inputs[0].array.shape).toEqual([10, 4, 2]);
  });

  it('keeps 0/1 targets of a binary cross-entropy as they are, and normalises only the features', () => {
    const labelled = ['t,value,up', ...Array.from({ length: 20 }, (_, i) => `${i},${(i * 7) % 11},${i % 3 === 0 ? 1 : 0}`)].join('\n');
    const section = dataSchema.parse({ kind: 'timeseries', path: write('l.csv', labelled), features: ['value'], targets: ['up'], window: 3, validationSplit: 0 });
    const prepared = prepareData(section, { ...ctx, loss: 'binary_crossentropy' });
    expect(prepared.state.normalization?.columns).toEqual([expect.objectContaining({ column: 'value', mean: expect.any(Number) }), { column: 'up' }]);
    const targets = Array.from(prepared.train.targets[0].array.data as ArrayLike<number>);
    expect(new Set(targets)).toEqual(new Set([0, 1]));
    const features = Array.from(prepared.train.inputs[0].array.data as ArrayLike<number>);
    expect(Math.abs(features.reduce((a, b) => a + b, 0) / features.length)).toBeLessThan(0.5);
  });

  it('refuses a cross-entropy loss on real-valued targets, naming the column and the fix', () => {
    const section = dataSchema.parse({ kind: 'timeseries', path: write('s.csv', csv), features: ['other'], targets: ['value'], window: 4 });
    const error = caught(() => prepareData(section, { ...ctx, loss: 'binary_crossentropy' }));
    expect(error.issues[0].path).toBe('data.targets[0]');
    expect(error.issues[0].message).toMatch(/column 'value': the targets range from 0 to 38, but binary_crossentropy needs targets in \[0, 1\].*regression loss such as mean_squared_error/);
    const sparse = caught(() => prepareData(dataSchema.parse({ kind: 'timeseries', path: write('n.csv', 't,v\n1,-1\n2,0.5\n3,2\n'), features: ['v'], window: 1 }), ctx));
    expect(sparse.issues[0]).toMatchObject({ path: 'data.features[0]' });
    expect(sparse.issues[0].message).toMatch(/sparse_categorical_crossentropy needs class ids 0, 1, 2/);
  });

  it('names an unknown column with its JSON path and the nearest column', () => {
    const section = dataSchema.parse({ kind: 'timeseries', path: write('s.csv', csv), features: ['value', 'othr'], window: 4 });
    const error = caught(() => prepareData(section, ctx));
    expect(error.issues[0].path).toBe('data.features[1]');
    expect(error.issues[0].message).toMatch(/unknown column 'othr' \(did you mean 'other'\?\)/);
  });

  it('names the line of a non-numeric value', () => {
    const section = dataSchema.parse({ kind: 'timeseries', path: write('s.csv', 't,v\n1,2\n2,x\n'), features: ['v'], window: 1 });
    expect(caught(() => prepareData(section, ctx)).issues[0].message).toMatch(/s\.csv:3 \(v\): 'x' is not a number/);
  });
});

describe('classification data', () => {
  const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ text: i % 2 ? 'good great fine' : 'bad awful', label: i % 2 ? 'pos' : 'neg' })).join('\n');

  it('encodes texts and labels, binary for a binary loss', () => {
    const section = dataSchema.parse({ kind: 'classification', path: write('c.jsonl', lines), textField: 'text', labelField: 'label', maxLen: 4, validationSplit: 0.2 });
    const prepared = prepareData(section, { ...ctx, loss: 'binary_crossentropy' });
    expect(prepared.state.labels).toEqual(['neg', 'pos']);
    expect(prepared.state.dims).toMatchObject({ numClasses: 2, outputSize: 1, maxLen: 4 });
    expect(prepared.train.size + (prepared.validation?.size ?? 0)).toBe(10);
    const { ys } = batchTensors(prepared.train, [0]);
    expect(ys[0].shape).toEqual([1, 1]);
    expect(ys[0].dtype).toBe('float32');
    tf.dispose(ys);
    const again = encodeWithState(prepared.state, { path: path.join(dir, 'c.jsonl') });
    expect(again.size).toBe(10);
  });

  it('names a label field that does not exist', () => {
    const section = dataSchema.parse({ kind: 'classification', path: write('c.jsonl', lines), textField: 'text', labelField: 'lable', maxLen: 4 });
    const error = caught(() => prepareData(section, ctx));
    expect(error.issues[0].path).toBe('data.labelField');
    expect(error.issues[0].message).toMatch(/c\.jsonl:1: no field 'lable' \(did you mean 'label'\?\)/);
  });
});

describe('tagging and seq2seq data', () => {
  it('pads tags with the padding tag 0', () => {
    const text = [JSON.stringify({ tokens: ['a', 'dog'], tags: ['DT', 'NN'] }), JSON.stringify({ tokens: ['dogs', 'run', 'far'], tags: ['NN', 'VB', 'RB'] })].join('\n');
    const section = dataSchema.parse({ kind: 'tagging', path: write('t.jsonl', text), tokensField: 'tokens', tagsField: 'tags', maxLen: 3 });
    const prepared = prepareData(section, ctx);
    expect(prepared.state.labels).toEqual(['DT', 'NN', 'RB', 'VB']);
    expect(prepared.state.dims.numTags).toBe(5);
    expect(Array.from(prepared.train.targets[0].array.data)).toEqual([1, 2, 0, 2, 4, 3]);
  });

  it('builds encoder and decoder inputs from source/target records', () => {
    const text = [JSON.stringify({ w: 'cat', p: 'K AE1 T' }), JSON.stringify({ w: 'at', p: 'AE1 T' })].join('\n');
    const section = dataSchema.parse({ kind: 'seq2seq', path: write('s.jsonl', text), sourceField: 'w', targetField: 'p', maxSourceLen: 4, maxTargetLen: 5 });
    const prepared = prepareData(section, ctx);
    expect(prepared.train.inputs.map((f) => f.array.shape)).toEqual([
      [2, 4],
      [2, 5],
    ]);
    expect(prepared.state.dims).toMatchObject({ targetVocabSize: 6, maxTargetLen: 5 });
  });
});

describe('bundled data', () => {
  it('prepares the time-series template data from us-births', () => {
    const section = dataSchema.parse({ kind: 'timeseries', dataset: 'us-births', features: ['births'], window: 7, validationSplit: 0.1 });
    const prepared = prepareData(section, ctx);
    expect(prepared.train.size).toBe(Math.floor(7305 * 0.9) - 7);
  });
});
