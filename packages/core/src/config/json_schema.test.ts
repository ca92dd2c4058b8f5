import * as fs from 'fs';
import * as path from 'path';
import '../layers';
import { formatSchemaFile, generateSchemas, writeSchemaFiles } from './json_schema';
import { compileConfigSchema } from './compile_schema';
import { fitConfigSchema } from './fit_schema';
import keras2Sequential from './fixtures/keras2_sequential_lstm.json';

const SCHEMA_DIR = path.resolve(__dirname, '../../../../docs/schema');

describe('generated JSON Schema files', () => {
  const schemas = generateSchemas();

  test('docs/schema/*.json are up to date (regenerate with UPDATE_SCHEMAS=1)', () => {
    if (process.env.UPDATE_SCHEMAS === '1') writeSchemaFiles(SCHEMA_DIR);
    for (const [name, schema] of Object.entries(schemas)) {
      const file = path.join(SCHEMA_DIR, name);
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toBe(formatSchemaFile(schema));
    }
  });

  test('schemas use the snake_case keys of the JSON files', () => {
    const layer = JSON.stringify(schemas['layer.schema.json']);
    expect(layer).toContain('"return_sequences"');
    expect(layer).toContain('"class_name"');
    expect(layer).not.toContain('"returnSequences"');
    expect(JSON.stringify(schemas['fit.schema.json'])).toContain('"batch_size"');
    expect(JSON.stringify(schemas['compile.schema.json'])).toContain('"loss_weights"');
  });

  test('the layer schema has one branch per registered layer and lists activations', () => {
    const text = JSON.stringify(schemas['layer.schema.json']);
    for (const cls of ['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'Dense', 'Embedding', 'InputLayer']) expect(text).toContain(`"const":"${cls}"`);
    expect(text).toContain('"hard_sigmoid_legacy"');
  });

  test('the model schema describes a real Keras 2 document', () => {
    const model = schemas['model.schema.json'] as { anyOf?: unknown[] };
    expect(Array.isArray(model.anyOf)).toBe(true);
    expect(keras2Sequential.class_name).toBe('Sequential');
  });
});

describe('compile and fit schemas', () => {
  test('accept what Keras writes and name the problem otherwise', () => {
    expect(compileConfigSchema.safeParse({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] }).success).toBe(true);
    expect(compileConfigSchema.safeParse({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: { next_char: 'mse' } }).success).toBe(true);
    const bad = compileConfigSchema.safeParse({ optimizer: 'adamm', loss: 'mse' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).join('\n')).toMatch(/expected an optimizer name \(sgd, adam/);
    expect(fitConfigSchema.safeParse({ epochs: 3, batchSize: 32, validationSplit: 0.1 }).success).toBe(true);
    expect(fitConfigSchema.safeParse({ epochs: -1 }).error!.issues[0].message).toBe('expected a positive integer (number of passes over the data), got -1');
  });
});
