import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { capture } from './e2e/in_process';
import { TEMPLATES } from './templates';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-main-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('help', () => {
  const commands = ['fit', 'evaluate', 'predict', 'generate', 'summary', 'validate', 'init', 'info', 'build-native', 'schema'];

  it('lists every command with examples and the exit codes', async () => {
    const top = await capture(['--help']);
    expect(top.code).toBe(0);
    for (const command of commands) expect(top.out).toMatch(new RegExp(`\\n  ${command} `));
    expect(top.out).toMatch(/Examples:\n {2}\$ recurrent init/);
    expect(top.out).toContain('Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error, 130');
  });

  it.each(commands)('has --help with examples for %s', async (command) => {
    const help = await capture([command, '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(new RegExp(`Usage: recurrent ${command}`));
    expect(help.out).toMatch(/Examples:\n {2}\$ recurrent /);
  });

  it('exits with 2 on an unknown command, a bad option value or a missing argument', async () => {
    expect((await capture(['fitt'])).code).toBe(2);
    const bad = await capture(['fit', 'x.json', '--epochs', 'two']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--epochs <n>' argument 'two' is invalid/);
    expect((await capture(['predict', 'dir'])).code).toBe(2);
    expect((await capture([])).code).toBe(2);
  });
});

describe('info and schema', () => {
  it('prints the backend, the kernel implementation, threads and versions', async () => {
    const info = await capture(['info', '--json']);
    expect(info.code).toBe(0);
    const parsed = JSON.parse(info.out);
    expect(parsed).toMatchObject({ backend: expect.any(String), implementation: expect.stringMatching(/^(native|typescript)$/), threads: expect.any(Number) });
    expect(parsed.versions['@recurrent/cli']).toBe('0.1.0');
    const text = await capture(['info']);
    expect(text.out).toMatch(/^tfjs backend +\S+\nkernel implementation +(native \((prebuild|built from source)\)|typescript)/);
    // The addon's file, or how to build it.
    expect(text.out).toMatch(/^native addon +(\/\S+\.node|not loaded \(RECURRENT_KERNELS=typescript\)|none loaded \(recurrent build-native builds it from source\))$/m);
    expect(parsed.implementationSource).toMatch(/^(prebuild|built from source|typescript)$/);
  });

  it('prints the experiment JSON Schema', async () => {
    const schema = await capture(['schema']);
    expect(JSON.parse(schema.out).title).toBe('recurrent experiment');
  });
});

describe('init', () => {
  it.each(TEMPLATES.map((t) => t.name))('writes the %s template, which validates on its bundled data', async (name) => {
    const target = path.join(dir, name);
    const init = await capture(['init', name, target]);
    expect(init.code).toBe(0);
    expect(fs.existsSync(path.join(target, 'README.md'))).toBe(true);
    const validate = await capture(['validate', path.join(target, 'experiment.json')]);
    expect(validate.err).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.out).toMatch(/^ok: .*\n {2}data: .* training and \d+ validation examples/);
  });

  it('refuses to overwrite without --force and names an unknown template', async () => {
    const target = path.join(dir, 'again');
    expect((await capture(['init', 'time-series', target])).code).toBe(0);
    const again = await capture(['init', 'time-series', target]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists\n {2}fix: .*--force/);
    expect((await capture(['init', 'time-series', target, '--force'])).code).toBe(0);
    const typo = await capture(['init', 'text-generaton', path.join(dir, 'x')]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/unknown template 'text-generaton' \(did you mean 'text-generation'\?\)/);
  });
});

describe('validate', () => {
  it('lists data, model and compile problems together', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        model: { class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: { units: 0, batch_input_shape: [null, '$seqLength', '$vocabSize'] } }] } },
        compile: { loss: 'categorical_crossentrop' },
        data: { kind: 'text', path: 'absent.txt', seq_length: 5 },
      }),
    );
    const result = await capture(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/3 problems/);
    expect(result.err).toMatch(/compile\.loss: /);
    expect(result.err).toMatch(/data\.path: data file not found/);
    expect(result.err).toMatch(/model\.config\.layers\[0\]\.config\.units: /);
  });
});

describe('validate checks saved models as loading does', () => {
  /** A converted-style folder: Keras 2.15 topology, Custom>Adam and MeanMetricWrapper, a TimeDistributed layer. */
  const fixture = path.join(__dirname, '..', '..', 'core', 'src', 'saving', 'fixtures', 'converted_keras_2_15');

  it('a converter folder and its model.json validate, and a .keras file', async () => {
    for (const target of [fixture, path.join(fixture, 'model.json')]) {
      const result = await capture(['validate', target]);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/^ok: .*model\.json describes a model with 3 layers and \d+ parameters; the file sets all 6 weights\n {2}training config: compiles\n$/);
    }
    const core = await import('@recurrent/core');
    const model = core.sequential({ layers: [core.layers.gru({ units: 2, inputShape: [3, 2] })] });
    const file = path.join(dir, 'tiny.keras');
    await core.saveModel(model, file);
    const keras = await capture(['validate', file]);
    expect(keras.out).toMatch(/^ok: .*tiny\.keras describes a model with 1 layers .*\n {2}training config: none stored\n$/);
    const summary = await capture(['summary', file]);
    expect(summary.code).toBe(0);
    expect(summary.out).toMatch(/gru/);
  });

  it('lists the problems of every stage of a model folder at once, and notes a training config loading would skip', async () => {
    const folder = path.join(dir, 'converted');
    fs.cpSync(fixture, folder, { recursive: true });
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
    json.format = 'layers-modle';
    json.modelTopology.model_config.config.layers[2].config.unit = 5;
    json.weightsManifest[0].weights[5].shape = [4];
    json.modelTopology.training_config.optimizer_config.config.use_ema = true;
    fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify(json));
    const result = await capture(['validate', folder]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/note: the training config will be skipped when loading \(optimizer 'Custom>Adam': option use_ema = true is not supported\); the model loads uncompiled/);
    expect(result.err).toMatch(/model\.json: 3 problems/);
    expect(result.err).toMatch(/format: expected "layers-model", got "layers-modle"/);
    expect(result.err).toMatch(/weightsManifest\[0\]: group1-shard1of1\.bin holds 1832 bytes but the manifest declares 1836 \(truncated or incomplete\)/);
    expect(result.err).toMatch(/layers\[2\]\.config\.unit: unknown key for LSTM 'lstm' \(did you mean 'units'\?\)/);
  });

  it('a typo in the data section does not hide a typo in a layer', async () => {
    const file = path.join(dir, 'two-typos.json');
    fs.writeFileSync(file, JSON.stringify({
      model: { class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: { units: 4, return_sequence: true, batch_input_shape: [null, '$seqLength', '$vocabSize'] } }] } },
      compile: { loss: 'categorical_crossentropy' },
      data: { kind: 'text', dataset: 'moby-dick', seq_lenght: 5 },
    }));
    const result = await capture(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/data: unknown key 'seq_lenght' \(did you mean 'seq_length'\?\)/);
    expect(result.err).toMatch(/model\.config\.layers\[0\]\.config\.return_sequence: unknown key for LSTM \(did you mean 'return_sequences'\?\)/);
  });
});

describe('model folders', () => {
  it('names a folder that is not a model', async () => {
    for (const command of [['generate', dir], ['predict', dir, '--input', '-'], ['evaluate', dir, '--data', 'x']]) {
      const result = await capture(command);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/is not a model folder \(no model\.json\)/);
    }
  });
});
