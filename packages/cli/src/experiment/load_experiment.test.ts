import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExperimentError } from '../errors';
import { TEMPLATES } from '../templates';
import { loadExperiment } from './load_experiment';
import { fillPlaceholders } from './placeholders';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-exp-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const model = { class_name: 'Sequential', config: { layers: [] } };

function write(content: unknown, name = 'experiment.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problems(file: string): ExperimentError {
  try {
    loadExperiment(file);
  } catch (e) {
    if (e instanceof ExperimentError) return e;
    throw e;
  }
  throw new Error('expected an ExperimentError');
}

describe('loadExperiment', () => {
  it('accepts snake_case and camelCase keys and fills defaults', () => {
    fs.writeFileSync(path.join(dir, 'corpus.txt'), 'hello world');
    const loaded = loadExperiment(
      write({ model, compile: { loss: 'mse' }, data: { kind: 'text', path: 'corpus.txt', seq_length: 4 }, fit: { batchSize: 2, epochs: 3 } }),
    );
    expect(loaded.experiment.data).toMatchObject({ kind: 'text', seqLength: 4, step: 1, level: 'char', encoding: 'oneHot' });
    expect(loaded.experiment.fit).toMatchObject({ epochs: 3, batchSize: 2, shuffle: true });
  });

  it('reports every problem at once, with JSON paths spelt as in the file', () => {
    const error = problems(
      write({ model, compile: { loss: 'mse' }, data: { kind: 'text', path: 'missing.txt', seq_length: -1, stepp: 2 }, fit: { batch_size: 0 } }),
    );
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['data.seq_length', 'data', 'fit.batch_size', 'data.path']));
    expect(error.message).toMatch(/unknown key 'stepp'/);
    expect(error.message).toMatch(/data file not found: .*missing\.txt/);
    expect(error.message).toContain(path.join(dir, 'experiment.json'));
  });

  it('names unknown data kinds and datasets with suggestions', () => {
    expect(problems(write({ model, compile: {}, data: { kind: 'txt', dataset: 'moby-dick' } })).message).toMatch(/data\.kind: must be one of 'text'/);
    // A data source that cannot be read is kept for later, so the rest can still be checked.
    const loaded = loadExperiment(write({ model, compile: {}, data: { kind: 'text', dataset: 'moby-dik', seq_length: 3 } }));
    expect(loaded.dataIssues[0]).toMatchObject({ path: 'data.dataset' });
    expect(loaded.dataIssues[0].message).toMatch(/did you mean 'moby-dick'/);
  });

  it('checks cross-field rules', () => {
    const error = problems(write({ model, compile: {}, data: { kind: 'classification', dataset: 'spam-assassin', label_field: 'label', max_len: 5 }, generate: {} }));
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['data', 'generate']));
  });

  it('reads the model from a file and names a missing one', () => {
    write(model, 'model.json');
    const ok = loadExperiment(write({ model: 'model.json', compile: {}, data: { kind: 'text', dataset: 'moby-dick', seq_length: 3 } }));
    expect(ok.modelJson).toEqual(model);
    const error = problems(write({ model: 'nope.json', compile: {}, data: { kind: 'text', dataset: 'moby-dick', seq_length: 3 } }));
    expect(error.issues[0]).toMatchObject({ path: 'model' });
  });

  it('names the line of a JSON syntax error', () => {
    expect(problems(write('{\n  "model": {},\n  "data": {,}\n}')).message).toMatch(/not valid JSON at line 3/);
  });

  it('names a missing experiment file', () => {
    expect(problems(path.join(dir, 'none.json')).message).toMatch(/experiment file not found/);
  });

  it('validates every init template', () => {
    for (const template of TEMPLATES) {
      const loaded = loadExperiment(write(template.experiment, `${template.name}.json`));
      expect(loaded.experiment.data.kind).toBeDefined();
    }
  });
});

describe('fillPlaceholders', () => {
  it('replaces placeholders and names unknown ones by JSON path', () => {
    const { json, issues } = fillPlaceholders({ config: { layers: [{ config: { units: '$vocabSize', shape: [null, '$seqLength'] } }, { config: { units: '$nope' } }] } }, { vocabSize: 5, seqLength: 3 });
    expect(json).toEqual({ config: { layers: [{ config: { units: 5, shape: [null, 3] } }, { config: { units: '$nope' } }] } });
    expect(issues).toEqual([expect.objectContaining({ path: 'model.config.layers[1].config.units', message: "unknown placeholder '$nope'" })]);
  });
});
