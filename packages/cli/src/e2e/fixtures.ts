import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Small experiments on data written to a temporary folder, sized to train in about a second. */

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `recurrent-e2e-${prefix}-`));
}

export const CORPUS = Array.from({ length: 60 }, (_, i) => ['the quick brown fox jumps over the lazy dog. ', 'a lazy cat naps in the sun. ', 'call me ishmael. '][i % 3]).join('');

export function textExperiment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny-char-rnn',
    seed: 1,
    model: {
      class_name: 'Sequential',
      config: {
        name: 'tiny',
        layers: [
          { class_name: 'SimpleRNN', config: { name: 'rnn', units: 24, batch_input_shape: [null, '$seqLength', '$vocabSize'] } },
          { class_name: 'Dense', config: { name: 'out', units: '$vocabSize', activation: 'softmax' } },
        ],
      },
    },
    compile: { optimizer: { class_name: 'Adam', config: { learning_rate: 0.01 } }, loss: 'categorical_crossentropy', metrics: ['accuracy'] },
    data: { kind: 'text', path: 'corpus.txt', seq_length: 8, step: 1, validation_split: 0.1 },
    fit: { epochs: 3, batch_size: 64 },
    output: 'out',
    ...overrides,
  };
}

export function classificationExperiment(): Record<string, unknown> {
  return {
    seed: 2,
    model: {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Embedding', config: { name: 'emb', input_dim: '$vocabSize', output_dim: 8, mask_zero: true, batch_input_shape: [null, '$maxLen'] } },
          { class_name: 'LSTM', config: { name: 'lstm', units: 8 } },
          { class_name: 'Dense', config: { name: 'out', units: '$outputSize', activation: 'softmax' } },
        ],
      },
    },
    compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
    data: { kind: 'classification', path: 'reviews.jsonl', text_field: 'text', label_field: 'label', max_len: 6 },
    fit: { epochs: 2, batch_size: 8 },
    output: 'out',
  };
}

export const REVIEWS = Array.from({ length: 40 }, (_, i) =>
  JSON.stringify(i % 2 === 0 ? { text: `good great film number ${i}`, label: 'pos' } : { text: `bad awful film number ${i}`, label: 'neg' }),
).join('\n');

export function timeSeriesExperiment(): Record<string, unknown> {
  return {
    seed: 3,
    model: {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'GRU', config: { name: 'gru', units: 8, batch_input_shape: [null, '$window', '$numFeatures'] } },
          { class_name: 'Dense', config: { name: 'out', units: '$outputSize' } },
        ],
      },
    },
    compile: { optimizer: 'adam', loss: 'mse', metrics: ['mae'] },
    data: { kind: 'timeseries', path: 'series.csv', features: ['value'], window: 6, horizon: 2 },
    fit: { epochs: 2, batch_size: 16 },
    output: 'out',
  };
}

export const SERIES = ['day,value', ...Array.from({ length: 80 }, (_, i) => `${i},${(100 + 10 * Math.sin(i / 3)).toFixed(3)}`)].join('\n') + '\n';

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}
