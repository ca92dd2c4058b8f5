/**
 * The CLI builds, trains, summarizes and predicts with models that use the convolution front-end and
 * the other companion layers, from a plain experiment JSON.
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../main';
import { classificationExperiment, REVIEWS, tempDir, writeJson } from '../e2e/fixtures';

let dir: string;
beforeAll(() => {
  dir = tempDir('companions');
  fs.writeFileSync(path.join(dir, 'reviews.jsonl'), REVIEWS);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t), interactive: false });
  return { code, out, err };
}

test('recurrent fit, summary and predict with Embedding -> Conv1D -> BatchNormalization -> MaxPooling1D -> LSTM', async () => {
  const experiment = classificationExperiment();
  (experiment.model as { config: unknown }).config = {
    layers: [
      { class_name: 'Embedding', config: { name: 'emb', input_dim: '$vocabSize', output_dim: 8, batch_input_shape: [null, '$maxLen'] } },
      { class_name: 'Conv1D', config: { name: 'conv', filters: 6, kernel_size: 3, padding: 'same', activation: 'relu' } },
      { class_name: 'BatchNormalization', config: { name: 'bn' } },
      { class_name: 'MaxPooling1D', config: { name: 'pool', pool_size: 2 } },
      { class_name: 'LSTM', config: { name: 'lstm', units: 8 } },
      { class_name: 'Dense', config: { name: 'out', units: '$outputSize', activation: 'softmax' } },
    ],
  };
  const file = writeJson(dir, 'conv.json', experiment);
  const fit = await cli(['fit', file]);
  expect(fit.err).toBe('');
  expect(fit.code).toBe(0);
  const summary = await cli(['summary', path.join(dir, 'out')]);
  expect(summary.code).toBe(0);
  expect(summary.out).toMatch(/conv \(Conv1D\)\s+\(None, 6, 6\)\s+150/);
  expect(summary.out).toMatch(/bn \(BatchNormalization\)\s+\(None, 6, 6\)\s+24/);
  expect(summary.out).toMatch(/pool \(MaxPooling1D\)\s+\(None, 3, 6\)\s+0/);
  expect(summary.out).toMatch(/Non-trainable params: 12/);
  const input = path.join(dir, 'new.jsonl');
  fs.writeFileSync(input, `${JSON.stringify({ text: 'good great film' })}\n${JSON.stringify({ text: 'bad awful film' })}\n`);
  const predict = await cli(['predict', path.join(dir, 'out'), '--input', input]);
  expect(predict.err).toBe('');
  expect(predict.out.trim().split('\n')).toHaveLength(2);
  expect(predict.out).toMatch(/"(pos|neg)"/);
});
