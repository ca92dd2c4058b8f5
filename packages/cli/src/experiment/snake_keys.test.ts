import { camelizeKeys, spellPath } from './snake_keys';

describe('section keys', () => {
  it('accepts snake_case and remembers how each key was spelt', () => {
    const { value, spelling } = camelizeKeys({ batch_size: 2, epochs: 1 });
    expect(value).toEqual({ batchSize: 2, epochs: 1 });
    const spellings = new Map([['fit', spelling]]);
    expect(spellPath('fit.batchSize', spellings)).toBe('fit.batch_size');
    expect(spellPath('fit.validationFreq', spellings)).toBe('fit.validation_freq');
    expect(spellPath('data.features[1]', new Map([['data', new Map([['features', 'features']])]]))).toBe('data.features[1]');
    expect(spellPath('model.config.layers[0]', spellings)).toBe('model.config.layers[0]');
    // the library's conversion, with Keras's special cases: a key the file does not have is named as Keras writes it
    expect(spellPath('compile.beta1', new Map([['compile', new Map()]]))).toBe('compile.beta_1');
  });
});

import { compileSectionToCamel } from './compile_keys';

describe('compile section keys', () => {
  it('converts serialized objects deeply but keeps output names', () => {
    expect(
      compileSectionToCamel({
        optimizer: { class_name: 'Adam', config: { learning_rate: 0.01, beta_1: 0.8 } },
        loss: { next_char: 'sparse_categorical_crossentropy' },
        loss_weights: { next_char: 1 },
        metrics: ['accuracy'],
      }),
    ).toEqual({
      optimizer: { className: 'Adam', config: { learningRate: 0.01, beta1: 0.8 } },
      loss: { next_char: 'sparse_categorical_crossentropy' },
      lossWeights: { next_char: 1 },
      metrics: ['accuracy'],
    });
  });
});
