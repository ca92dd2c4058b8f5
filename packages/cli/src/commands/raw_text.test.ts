/** `recurrent fit` / `predict` / `evaluate` on a classifier that takes raw strings (data.encoding 'text'). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { capture } from '../e2e/in_process';

const MESSAGES = Array.from({ length: 48 }, (_, i) =>
  JSON.stringify(i % 2 === 0 ? { text: `WIN free money now! Offer ${i}`, label: 'spam' } : { text: `Meeting moved to ${i} o'clock, see you.`, label: 'ham' }),
).join('\n');

function experiment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seed: 3,
    model: {
      class_name: 'Functional',
      config: {
        name: 'raw_text',
        layers: [
          { class_name: 'InputLayer', name: 'text', config: { name: 'text', batch_input_shape: [null, 1], dtype: 'string' }, inbound_nodes: [] },
          { class_name: 'TextVectorization', name: 'vectorize', config: { name: 'vectorize', max_tokens: '$vocabSize', output_sequence_length: '$maxLen' }, inbound_nodes: [[['text', 0, 0, {}]]] },
          { class_name: 'Embedding', name: 'embed', config: { name: 'embed', input_dim: '$vocabSize', output_dim: 8, mask_zero: true }, inbound_nodes: [[['vectorize', 0, 0, {}]]] },
          { class_name: 'LSTM', name: 'lstm', config: { name: 'lstm', units: 8 }, inbound_nodes: [[['embed', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'out', config: { name: 'out', units: '$outputSize', activation: 'sigmoid' }, inbound_nodes: [[['lstm', 0, 0, {}]]] },
        ],
        input_layers: [['text', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    },
    compile: { optimizer: { class_name: 'Adam', config: { learning_rate: 0.02 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] },
    data: { kind: 'classification', path: 'messages.jsonl', text_field: 'text', label_field: 'label', max_len: 6, num_words: 30, encoding: 'text', validation_split: 0.25 },
    fit: { epochs: 4, batch_size: 8, verbose: 0 },
    output: 'out',
    ...overrides,
  };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-raw-text-'));
  fs.writeFileSync(path.join(dir, 'messages.jsonl'), MESSAGES);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a raw-text classifier through the command line', () => {
  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(experiment()));
    const result = await capture(['fit', path.join(dir, 'experiment.json')]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  test('fit adapts TextVectorization on the training texts and saves the vocabulary in the model', () => {
    const topology = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'model.json'), 'utf8')).modelTopology;
    const vectorizer = topology.config.layers.find((l: { name: string }) => l.name === 'vectorize');
    const vocabulary: string[] = vectorizer.config.vocabulary;
    expect(vocabulary.slice(0, 2)).toEqual(['', '[UNK]']);
    expect(vocabulary).toEqual(expect.arrayContaining(['free', 'money', 'meeting']));
    expect(vocabulary.length).toBeLessThanOrEqual(30);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'preprocessing.json'), 'utf8'));
    expect(state.tokenizer).toBeUndefined();
    expect(state.dims).toMatchObject({ vocabSize: 30, maxLen: 6 });
  });

  test('predict takes raw text and gives the labels', async () => {
    const input = path.join(dir, 'new.jsonl');
    fs.writeFileSync(input, '{"text": "Free money, win now"}\n{"text": "see you at the meeting"}\n');
    const result = await capture(['predict', path.join(dir, 'out'), '--input', input]);
    expect(result.code).toBe(0);
    const rows = result.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.label)).toEqual(['spam', 'ham']);
    expect(Object.keys(rows[0].probabilities).sort()).toEqual(['ham', 'spam']);
  });

  test('evaluate reads raw text too', async () => {
    const result = await capture(['evaluate', path.join(dir, 'out'), '--data', path.join(dir, 'messages.jsonl'), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).accuracy).toBeGreaterThan(0.9);
  });

  test('a preprocessing.json of token ids beside the raw-text model is refused as not belonging to it', async () => {
    const copy = path.join(dir, 'out-ids');
    fs.cpSync(path.join(dir, 'out'), copy, { recursive: true });
    const stateFile = path.join(copy, 'preprocessing.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    state.data.encoding = 'ids';
    fs.writeFileSync(stateFile, JSON.stringify(state));
    const input = path.join(dir, 'one.jsonl');
    fs.writeFileSync(input, '{"text": "Free money, win now"}\n');
    const result = await capture(['predict', copy, '--input', input]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/it encodes sequences of 6 steps for input 1, but the model's input takes 1; it does not belong to this model/);
  });
});

describe('raw text settings that do not fit together', () => {
  test('a numeric model input for raw text, and raw text without numWords, are configuration errors', async () => {
    const numeric = experiment({ output: 'out2' }) as { model: { config: { layers: { config: Record<string, unknown> }[] } } };
    numeric.model.config.layers[0].config.dtype = 'float32';
    fs.writeFileSync(path.join(dir, 'numeric.json'), JSON.stringify(numeric));
    const first = await capture(['validate', path.join(dir, 'numeric.json')]);
    expect(first.code).toBe(2);
    expect(first.err).toMatch(/input 'text' takes float32 numbers but data.encoding 'text' gives raw strings/);

    const noWords = experiment({ output: 'out3' }) as { data: Record<string, unknown> };
    delete noWords.data.num_words;
    fs.writeFileSync(path.join(dir, 'no-words.json'), JSON.stringify(noWords));
    const second = await capture(['validate', path.join(dir, 'no-words.json')]);
    expect(second.code).toBe(2);
    expect(second.err).toMatch(/data.num_words: encoding 'text' needs the vocabulary size/);
  });
});
