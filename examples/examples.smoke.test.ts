/**
 * Runs every example in its smoke mode (tiny data slices, one short epoch) so that none of them rots
 * as the library changes. The numbers are not measured here, only checked to be well-formed; the
 * measured results are in each example's README.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ExampleOptions } from './shared/options';
import { run as births } from './births-forecasting/run';
import { run as g2p } from './g2p-seq2seq/run';
import { run as gradientsLab } from './gradients-lab/run';
import { run as names } from './name-generation/run';
import { run as spam } from './spam-classification/run';
import { run as spamRawText } from './spam-raw-text/run';
import { run as stress } from './stress-tagging/run';
import { run as textGeneration } from './text-generation/run';

function smokeOptions(name: string): ExampleOptions {
  return { smoke: true, seed: 1, outDir: fs.mkdtempSync(path.join(os.tmpdir(), `${name}-smoke-`)), log: () => undefined };
}

const isFraction = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;

describe('examples in smoke mode', () => {
  test('text-generation: the three experiments train through `recurrent fit` and sample text', async () => {
    const options = smokeOptions('text-generation');
    const results = await textGeneration(options);
    expect(results.map((r) => r.config)).toEqual(['simple-rnn', 'lstm', 'gru']);
    for (const r of results) {
      expect(r.epochs).toBe(1);
      expect(Number.isFinite(r.final.loss)).toBe(true);
      expect(Object.values(r.lastEpochSamples)[0]).toMatch(/^call me ishmael\. /);
      expect(fs.existsSync(path.join(options.outDir, 'runs', r.config, 'model.json'))).toBe(true);
    }
    expect(fs.existsSync(path.join(options.outDir, 'results.json'))).toBe(true);
  });

  test('spam-classification: both models are scored on the held-out e-mails', async () => {
    const results = await spam(smokeOptions('spam-classification'));
    expect(results.models).toHaveLength(2);
    for (const m of results.models) {
      const t = m.test;
      expect(t.truePositives + t.falsePositives + t.trueNegatives + t.falseNegatives).toBe(results.emails.test);
      expect([t.accuracy, t.precision, t.recall].every(isFraction)).toBe(true);
    }
  });

  test('spam-raw-text: recurrent fit adapts the vocabulary, saves it in model.json, and recurrent predict reads raw e-mails', async () => {
    const results = await spamRawText(smokeOptions('spam-raw-text'));
    expect(results.epochs).toBe(1);
    expect([results.final.val_accuracy, results.final.val_precision, results.final.val_recall].every((v) => v !== null && isFraction(v))).toBe(true);
    expect(results.vocabulary.first.slice(0, 2)).toEqual(['', '[UNK]']);
    expect(results.vocabulary.size).toBeLessThanOrEqual(500);
    expect(results.predictions).toHaveLength(4);
    for (const p of results.predictions) expect(['spam', 'ham']).toContain(p.label);
  });

  test('stress-tagging: taggers and baselines are scored on vowels', async () => {
    const results = await stress(smokeOptions('stress-tagging'));
    expect(results.baselines).toHaveLength(2);
    expect(results.models).toHaveLength(2);
    for (const s of [...results.baselines, ...results.models]) expect([s.vowelAccuracy, s.tokenAccuracy, s.wordAccuracy].every(isFraction)).toBe(true);
    expect(results.words.testVowels).toBeGreaterThan(0);
  });

  test('g2p-seq2seq: greedy decoding without and with attention gives phoneme error rates, and the attention plot', async () => {
    const options = smokeOptions('g2p-seq2seq');
    const results = await g2p(options);
    expect(results.models.map((m) => m.name)).toEqual(['LSTM encoder, no attention', 'bidirectional LSTM encoder + attention']);
    for (const m of results.models) {
      expect(Number.isFinite(m.phonemeErrorRate)).toBe(true);
      expect(m.phonemeErrorRate).toBeGreaterThanOrEqual(0);
      expect(isFraction(m.wordErrorRate)).toBe(true);
      expect(m.samples.length).toBeGreaterThan(0);
    }
    expect(fs.readFileSync(path.join(options.outDir, results.attentionPlot), 'utf8')).toMatch(/^<svg[\s\S]*<rect[\s\S]*<\/svg>\n$/);
  });

  test('name-generation: both decoders run and the conditioned one samples names per class', async () => {
    const results = await names(smokeOptions('name-generation'));
    expect(results.conditioned.generated.map((g) => g.gender)).toEqual(['female', 'male']);
    for (const g of results.conditioned.generated) {
      expect(g.samples.length).toBeGreaterThan(0);
      expect(g.samples.every((s) => /^[a-z]*$/.test(s))).toBe(true);
    }
    expect(Number.isFinite(results.conditioned.heldOutLossPerLetter)).toBe(true);
  });

  test('births-forecasting: both LSTMs and the baseline get a held-out MAE and a plot', async () => {
    const options = smokeOptions('births-forecasting');
    const results = await births(options);
    expect(Object.values(results.mae).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(fs.readFileSync(path.join(options.outDir, results.plot), 'utf8')).toMatch(/<path d="M[^"]*L/);
  });

  test('gradients-lab: the plots of dLoss/dh_t and of clipping are written', async () => {
    const options = smokeOptions('gradients-lab');
    const results = await gradientsLab(options);
    expect(results.plots.length).toBeGreaterThanOrEqual(3);
    for (const plot of results.plots) expect(fs.readFileSync(path.join(options.outDir, plot), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});
