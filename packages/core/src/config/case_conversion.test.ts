import { keysToCamel, keysToSnake, toCamelCase, toSnakeCase } from './case_conversion';

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
