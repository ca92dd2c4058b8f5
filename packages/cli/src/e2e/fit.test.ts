import * as fs from 'fs';
import * as path from 'path';
import { CORPUS, REVIEWS, SERIES, classificationExperiment, tempDir, textExperiment, timeSeriesExperiment, writeJson } from './fixtures';
import { ensureBuilt, runCli } from './cli_process';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('fit');
  fs.writeFileSync(path.join(dir, 'corpus.txt'), CORPUS);
  fs.writeFileSync(path.join(dir, 'reviews.jsonl'), REVIEWS);
  fs.writeFileSync(path.join(dir, 'series.csv'), SERIES);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('recurrent fit (text) and the commands on its output', () => {
  let out: string;

  beforeAll(async () => {
    const experiment = writeJson(dir, 'text.json', textExperiment());
    const result = await runCli(['fit', experiment], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    out = path.join(dir, 'out');
    // in a pipe: Keras's progress bar, as the library prints it, once per epoch without redraws
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).toMatch(/Epoch 1\/3\n\d+\/\d+ ━{20} \d+s \d+ms\/step - loss: [\d.]+ - accuracy: [\d.]+ - val_loss/);
  });

  it('writes every file, and the loss falls', () => {
    for (const file of ['model.json', 'weights.bin', 'preprocessing.json', 'experiment.json', 'history.json', 'history.csv', 'report.html', 'plots/loss.svg', 'plots/accuracy.svg']) {
      expect(fs.existsSync(path.join(out, file))).toBe(true);
    }
    expect(fs.existsSync(path.join(out, 'checkpoint'))).toBe(false);
    const history = JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8'));
    const loss: number[] = history.history.loss;
    expect(loss).toHaveLength(3);
    expect(loss[2]).toBeLessThan(loss[0]);
    expect(history.history.val_loss[2]).toBeLessThan(history.history.val_loss[0]);
    expect(fs.readFileSync(path.join(out, 'history.csv'), 'utf8').split('\n')[0]).toBe('epoch,loss,accuracy,val_loss,val_accuracy,seconds');
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<svg');
    const state = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
    expect(state).toMatchObject({ kind: 'text', tokenizer: { className: 'Tokenizer' }, dims: { seqLength: 8 } });
  });

  it('generates the same text for the same seed', async () => {
    const args = ['generate', out, '--prime', 'the quick', '--length', '40', '--temperature', '0.8', '--seed', '5'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.startsWith('the quick')).toBe(true);
    // the prime, 40 characters (spaces among them, also at the end), a newline
    expect(a.stdout.length).toBe('the quick'.length + 40 + 1);
    expect(a.stdout.endsWith('\n')).toBe(true);
  });

  it('with --carry-state, reads the first window as without it, then one step per token', async () => {
    const args = ['generate', out, '--prime', 'the quick', '--temperature', '0.8', '--seed', '5'];
    const [first, firstCarried, a, b] = await Promise.all([
      runCli([...args, '--length', '1']),
      runCli([...args, '--length', '1', '--carry-state']),
      runCli([...args, '--length', '60', '--carry-state']),
      runCli([...args, '--length', '60', '--carry-state']),
    ]);
    expect(firstCarried.code).toBe(0);
    // the same window and the same seed: the same first character
    expect(firstCarried.stdout).toBe(first.stdout);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBe('the quick'.length + 60 + 1);
    expect(a.stdout.startsWith(first.stdout.slice(0, -1))).toBe(true);
  });

  it('refuses --carry-state for a model that cannot be stepped, naming why and the fix', async () => {
    const backwards = path.join(dir, 'out-backwards');
    fs.cpSync(out, backwards, { recursive: true });
    const modelFile = path.join(backwards, 'model.json');
    const model = JSON.parse(fs.readFileSync(modelFile, 'utf8'));
    const rnn = model.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'SimpleRNN');
    rnn.config.go_backwards = true;
    fs.writeFileSync(modelFile, JSON.stringify(model));
    const result = await runCli(['generate', backwards, '--length', '5', '--carry-state']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--carry-state cannot step this model.*goBackwards/);
    expect(result.stderr).toMatch(/leave out --carry-state/);
    expect(result.stdout).toBe('');
  });

  it('predicts the next characters as JSON lines from standard input', async () => {
    const result = await runCli(['predict', out, '--input', '-'], { input: '{"text": "the lazy do"}\n{"text": "call me ishmae"}\n' });
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ line: 1, next: expect.any(Array) });
    expect(rows[0].next).toHaveLength(5);
    expect(rows[0].next[0]).toEqual({ token: expect.any(String), probability: expect.any(Number) });
  });

  it('evaluates on another text and summarises the model folder', async () => {
    const evaluation = await runCli(['evaluate', out, '--data', path.join(dir, 'corpus.txt'), '--json']);
    expect(evaluation.code).toBe(0);
    expect(JSON.parse(evaluation.stdout)).toMatchObject({ loss: expect.any(Number), accuracy: expect.any(Number) });
    const summary = await runCli(['summary', out]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/SimpleRNN/);
  });
});

describe('predict output formats', () => {
  it('classification: labels with probabilities, as CSV', async () => {
    const experiment = writeJson(dir, 'reviews.json', { ...classificationExperiment(), output: 'out-reviews' });
    expect((await runCli(['fit', experiment])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'new.jsonl'), '{"text": "good great"}\n{"text": "bad awful"}\n');
    const result = await runCli(['predict', path.join(dir, 'out-reviews'), '--input', path.join(dir, 'new.jsonl'), '--output-format', 'csv']);
    expect(result.code).toBe(0);
    const [header, first] = result.stdout.trim().split('\n');
    expect(header).toBe('line,label,probabilities.neg,probabilities.pos');
    expect(first).toMatch(/^1,(pos|neg),[\d.e-]+,[\d.e-]+$/);
  });

  it('time series: one forecast per window of the CSV input, in raw units', async () => {
    const experiment = writeJson(dir, 'series.json', { ...timeSeriesExperiment(), output: 'out-series' });
    expect((await runCli(['fit', experiment])).code).toBe(0);
    const input = path.join(dir, 'recent.csv');
    fs.writeFileSync(input, SERIES.split('\n').slice(0, 11).join('\n') + '\n');
    const target = path.join(dir, 'forecast.jsonl');
    const result = await runCli(['predict', path.join(dir, 'out-series'), '--input', input, '--output', target]);
    expect(result.code).toBe(0);
    const rows = fs.readFileSync(target, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(10 - 6 + 1);
    expect(Object.keys(rows[0])).toEqual(['after_line', 'value+1', 'value+2']);
    expect(rows[0].after_line).toBe(7);
    expect(Math.abs(rows[0]['value+1'] - 100)).toBeLessThan(40);
  });
});
