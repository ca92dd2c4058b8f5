import { keysToCamel, keysToSnake, snakeCaseJsonSchema, toCamelCase, toSnakeCase } from './case_conversion';

test('key spellings convert both ways', () => {
  const pairs: [string, string][] = [
    ['return_sequences', 'returnSequences'], ['batch_input_shape', 'batchInputShape'], ['class_name', 'className'],
    ['l1_l2', 'l1L2'], ['beta_1', 'beta1'], ['units', 'units'], ['global_clipnorm', 'globalClipnorm'],
  ];
  for (const [snake, camel] of pairs) {
    expect(toCamelCase(snake)).toBe(camel);
    expect(toSnakeCase(camel)).toBe(snake);
  }
});

test('deep conversion changes keys only, and keeps user-named keys (output names) as written', () => {
  const snake = { class_name: 'LSTM', config: { recurrent_activation: 'hard_sigmoid', kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } } }, loss: { next_char: 'mean_squared_error' } };
  const camel = keysToCamel(snake);
  expect(camel).toEqual({ className: 'LSTM', config: { recurrentActivation: 'hard_sigmoid', kernelInitializer: { className: 'GlorotUniform', config: { seed: null } } }, loss: { next_char: 'mean_squared_error' } });
  expect(keysToSnake(camel)).toEqual(snake);
});

test('the special cases: digits, class names, private keys, prototype names', () => {
  // Keras writes beta_1 / beta_2 (Adam), whose camelCase loses the underscore before the digit.
  expect(toSnakeCase('beta1')).toBe('beta_1');
  expect(toSnakeCase('beta2')).toBe('beta_2');
  expect(toCamelCase('beta_2')).toBe('beta2');
  // one rule for class names too (Keras's default layer names)
  for (const [cls, name] of [['SimpleRNN', 'simple_rnn'], ['GRUCell', 'gru_cell'], ['GlobalAveragePooling1D', 'global_average_pooling1d'], ['InputLayer', 'input_layer']]) {
    expect(toSnakeCase(cls)).toBe(name);
  }
  expect(toCamelCase('_keras_history')).toBe('_kerasHistory');
  expect(toSnakeCase('return_sequences')).toBe('return_sequences');
  expect(toCamelCase('returnSequences')).toBe('returnSequences');
  // names of Object.prototype are keys like any other (no lookup through a plain object)
  expect(['constructor', 'toString', '__proto__', 'valueOf'].map(toSnakeCase)).toEqual(['constructor', 'to_string', '__proto__', 'value_of']);
  const parsed = JSON.parse('{"__proto__": {"polluted": 1}, "class_name": "X"}');
  const camel = keysToCamel(parsed) as Record<string, unknown>;
  expect(Object.keys(camel)).toEqual(['__proto__', 'className']);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('serialized losses are converted, maps by output name keep their keys', () => {
  expect(keysToCamel({ loss: { class_name: 'Huber', config: { reduction: 'sum' } }, loss_weights: { out_a: 1 } })).toEqual({
    loss: { className: 'Huber', config: { reduction: 'sum' } },
    lossWeights: { out_a: 1 },
  });
});

test('JSON Schemas are renamed for snake_case files: properties, required and default objects', () => {
  const schema = { type: 'object', properties: { batchSize: { type: 'integer' }, optimizer: { type: 'object', properties: { beta1: {} }, default: { learningRate: 0.001 } } }, required: ['batchSize'] };
  expect(snakeCaseJsonSchema(schema)).toEqual({
    type: 'object',
    properties: { batch_size: { type: 'integer' }, optimizer: { type: 'object', properties: { beta_1: {} }, default: { learning_rate: 0.001 } } },
    required: ['batch_size'],
  });
});
