/**
 * System errors of files and folders in the way (a folder where a file should be, a file where a
 * folder should be, an empty or damaged file) are usage errors: one clear line, exit code 2.
 */
import * as fs from 'fs';
import * as path from 'path';
import { capture } from '../e2e/in_process';
import { REVIEWS, SERIES, classificationExperiment, tempDir, timeSeriesExperiment, writeJson } from '../e2e/fixtures';

let dir: string;
let modelDir: string;
beforeAll(async () => {
  dir = tempDir('file-errors');
  fs.writeFileSync(path.join(dir, 'reviews.jsonl'), REVIEWS);
  fs.writeFileSync(path.join(dir, 'series.csv'), SERIES);
  const experiment = { ...classificationExperiment(), fit: { epochs: 1, batch_size: 8, verbose: 0 } };
  const fit = await capture(['fit', writeJson(dir, 'experiment.json', experiment)]);
  expect(fit).toMatchObject({ code: 0 });
  modelDir = path.join(dir, 'out');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the trained model folder whose preprocessing.json is replaced by `edit(state)` (or by text). */
function withPreprocessing(name: string, edit: ((state: Record<string, any>) => void) | string): string {
  const copy = path.join(dir, name);
  fs.cpSync(modelDir, copy, { recursive: true });
  const file = path.join(copy, 'preprocessing.json');
  if (typeof edit === 'string') {
    fs.writeFileSync(file, edit);
  } else {
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(state);
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
  }
  return copy;
}

describe('files and folders in the way', () => {
  it('predict --input naming a folder, and --output naming a folder', async () => {
    fs.mkdirSync(path.join(dir, 'a-folder'), { recursive: true });
    const input = await capture(['predict', modelDir, '--input', path.join(dir, 'a-folder')]);
    expect(input.code).toBe(2);
    expect(input.err).toMatch(/^error: .*a-folder: input file is a directory, not a file\n {2}fix: give the path of a file\n$/);
    const outputFolder = await capture(['predict', modelDir, '--input', path.join(dir, 'reviews.jsonl'), '--output', path.join(dir, 'a-folder')]);
    expect(outputFolder.code).toBe(2);
    expect(outputFolder.err).toMatch(/^error: --output .*a-folder is a folder, not a file/);
  });

  it('fit --out naming a file', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const result = await capture(['fit', path.join(dir, 'experiment.json'), '--out', file]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: --out .*a-file is a file, not a folder\n {2}fix: choose a folder path for --out/);
  });

  it('evaluate on an empty data file is an error', async () => {
    fs.writeFileSync(path.join(dir, 'empty.jsonl'), '');
    const result = await capture(['evaluate', modelDir, '--data', path.join(dir, 'empty.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/empty\.jsonl gives no examples to evaluate on/);
  });

  it('a damaged preprocessing.json is named, with what is wrong, before any input is encoded', async () => {
    const input = path.join(dir, 'reviews.jsonl');
    const cases: [string, ((state: Record<string, any>) => void) | string, RegExp][] = [
      ['null-data', (s) => (s.data = null), /preprocessing\.json is damaged: data: .*expected object, received null/],
      ['huge-length', (s) => (s.data.maxLen = s.dims.maxLen = 120_000_000_000), /preprocessing\.json is damaged: dims\.maxLen: .*<=2147483647/],
      ['other-model', (s) => (s.data.maxLen = s.dims.maxLen = 1_200_000), /it encodes sequences of 1200000 steps for input 1, but the model's input takes 6; it does not belong to this model/],
      ['syntax', '{\n  "format": "recurrent-preprocessing",\n  "version": 1,\n  "kind": }', /not valid JSON at line 4, column 11: unexpected "}"/],
    ];
    for (const [name, edit, expected] of cases) {
      const result = await capture(['predict', withPreprocessing(name, edit), '--input', input]);
      expect([name, result.code]).toEqual([name, 2]);
      expect(result.err).toMatch(expected);
      expect(result.err).toMatch(/fix: rerun `recurrent fit`/);
    }
  });

  it('validate refuses a cross-entropy on real-valued targets, and a model too large to train', async () => {
    const series = timeSeriesExperiment();
    series.compile = { optimizer: 'adam', loss: 'binary_crossentropy' };
    const targets = await capture(['validate', writeJson(dir, 'bce.json', series)]);
    expect(targets.code).toBe(2);
    expect(targets.err).toMatch(/data\.features\[0\]: column 'value': the targets range from \d+(\.\d+)? to \d+(\.\d+)?, but binary_crossentropy needs targets in \[0, 1\]/);

    const huge = classificationExperiment();
    const layers = (huge.model as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
    layers[0].config.input_dim = 25_000_000;
    layers[0].config.output_dim = 64;
    const saved = process.env.RECURRENT_MEMORY_LIMIT;
    process.env.RECURRENT_MEMORY_LIMIT = '16GB';
    try {
      const result = await capture(['validate', writeJson(dir, 'huge.json', huge)]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/model: the model has 1600\d{6} parameters: training at batch size 8 with Adam \(2 slots per weight\) needs about 25\.6 GB/);
    } finally {
      if (saved === undefined) delete process.env.RECURRENT_MEMORY_LIMIT;
      else process.env.RECURRENT_MEMORY_LIMIT = saved;
    }
  });
});
