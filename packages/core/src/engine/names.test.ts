import { resetNameCounters, uniqueName } from './names';
import { toSnakeCase } from '../config/case_conversion';

describe('Keras-style names', () => {
  beforeEach(() => resetNameCounters());

  test('snake_case of class names follows Keras', () => {
    expect(toSnakeCase('Dense')).toBe('dense');
    expect(toSnakeCase('SimpleRNN')).toBe('simple_rnn');
    expect(toSnakeCase('LSTM')).toBe('lstm');
    expect(toSnakeCase('GRU')).toBe('gru');
    expect(toSnakeCase('TimeDistributed')).toBe('time_distributed');
    expect(toSnakeCase('GlobalAveragePooling1D')).toBe('global_average_pooling1d');
    expect(toSnakeCase('SpatialDropout1D')).toBe('spatial_dropout1d');
    expect(toSnakeCase('InputLayer')).toBe('input_layer');
  });

  test('unique names count per prefix and reset', () => {
    expect(uniqueName('dense')).toBe('dense');
    expect(uniqueName('dense')).toBe('dense_1');
    expect(uniqueName('lstm')).toBe('lstm');
    expect(uniqueName('dense')).toBe('dense_2');
    resetNameCounters();
    expect(uniqueName('dense')).toBe('dense');
  });
});
