import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli } from './cli_process';
import { CORPUS, SERIES, tempDir, textExperiment, timeSeriesExperiment, writeJson } from './fixtures';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('errors');
  fs.writeFileSync(path.join(dir, 'corpus.txt'), CORPUS);
  fs.writeFileSync(path.join(dir, 'series.csv'), SERIES);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('usage and configuration errors exit with 2', () => {
  it('names the JSON path of every bad setting', async () => {
    const bad = textExperiment({ fit: { epochs: 0, batch_size: 'many' } });
    (bad.data as Record<string, unknown>).seq_lenght = 3;
    const file = writeJson(dir, 'bad.json', bad);
    for (const command of ['validate', 'fit']) {
      const result = await runCli([command, file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toMatch(/fit\.epochs: /);
      expect(result.stderr).toMatch(/fit\.batch_size: /);
      expect(result.stderr).toMatch(/data: unknown key 'seq_lenght' \(did you mean 'seq_length'\?\)/);
    }
  });

  it('names a missing data file', async () => {
    const file = writeJson(dir, 'missing.json', textExperiment({ data: { kind: 'text', path: 'nowhere.txt', seq_length: 4 } }));
    const result = await runCli(['fit', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data\.path: data file not found: .*nowhere\.txt/);
    expect(result.stderr).toMatch(/fix: /);
  });

  it('names a column that does not exist, with the nearest one', async () => {
    const experiment = timeSeriesExperiment();
    (experiment.data as Record<string, unknown>).features = ['valeu'];
    const result = await runCli(['validate', writeJson(dir, 'column.json', experiment)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data\.features\[0\]: .*series\.csv: unknown column 'valeu' \(did you mean 'value'\?\)/);
  });

  it('reports model problems with their path inside the model', async () => {
    const experiment = textExperiment();
    const layers = ((experiment.model as Record<string, Record<string, unknown>>).config.layers as Record<string, Record<string, unknown>>[]);
    layers[0].config.units = -4;
    layers[1].config.units = '$vocabSiz';
    const result = await runCli(['validate', writeJson(dir, 'model.json', experiment)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model\.config\.layers\[1\]\.config\.units: unknown placeholder '\$vocabSiz'/);
  });

  it('rejects unknown commands and bad option values', async () => {
    expect((await runCli(['fitt'])).code).toBe(2);
    expect((await runCli(['fit', 'x.json', '--epochs', 'two'])).code).toBe(2);
  });

  it('a bad RECURRENT_KERNELS, read when the libraries load, is one line and not a stack trace', async () => {
    const result = await runCli(['info'], { env: { RECURRENT_KERNELS: 'bogus' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: RECURRENT_KERNELS='bogus' is not understood; use 'native' or 'typescript' (or leave it unset)\n");
  });

  it('a missing experiment file is named', async () => {
    const result = await runCli(['fit', path.join(dir, 'absent.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/absent\.json: 1 problem\n {2}- experiment file not found/);
  });
});
