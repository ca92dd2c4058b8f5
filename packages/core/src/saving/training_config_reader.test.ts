import { readTrainingConfig } from './training_config_reader';

describe('readTrainingConfig', () => {
  test('Keras 2.11+ converter output: Custom>Adam, a loss object with reduction "auto", MeanMetricWrapper', () => {
    const reading = readTrainingConfig({
      loss: { class_name: 'SparseCategoricalCrossentropy', config: { reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: true, ignore_class: null } },
      metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy' } }]],
      weighted_metrics: null,
      loss_weights: null,
      optimizer_config: {
        class_name: 'Custom>Adam',
        config: { name: 'Adam', weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, jit_compile: false, is_legacy_optimizer: false, learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false },
      },
    });
    expect(reading.problems).toEqual([]);
    expect(reading.args).toEqual({
      optimizer: { className: 'Adam', config: { name: 'Adam', weightDecay: null, clipnorm: null, globalClipnorm: null, clipvalue: null, learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false } },
      loss: { className: 'SparseCategoricalCrossentropy', config: { reduction: 'sum_over_batch_size', name: 'sparse_categorical_crossentropy', fromLogits: true, ignoreClass: null } },
      metrics: [[{ className: 'MeanMetricWrapper', config: { fn: 'sparse_categorical_accuracy', name: 'accuracy' } }]],
    });
  });

  test('Keras 3 compile_config: objects with module and registered_name, functions by reference, a schedule', () => {
    const reading = readTrainingConfig({
      optimizer: {
        module: 'keras.optimizers', class_name: 'RMSprop', registered_name: null,
        config: {
          name: 'rmsprop', learning_rate: { module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', registered_name: null, config: { initial_learning_rate: 0.01, decay_steps: 100, decay_rate: 0.9, staircase: false, name: 'ExponentialDecay' } },
          rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false, loss_scale_factor: null, gradient_accumulation_steps: null,
        },
      },
      loss: { module: 'keras.losses', class_name: 'function', config: 'mean_squared_error', registered_name: 'mean_squared_error' },
      metrics: [{ module: 'keras.metrics', class_name: 'MeanMetricWrapper', registered_name: null, config: { name: 'mae', dtype: 'float32', fn: { module: 'keras.metrics', class_name: 'function', config: 'mean_absolute_error', registered_name: null } } }],
      loss_weights: null, weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false,
    });
    expect(reading.problems).toEqual([]);
    expect(reading.args).toMatchObject({
      optimizer: { className: 'RMSprop', config: { rho: 0.9, learningRate: { className: 'ExponentialDecay', config: { initialLearningRate: 0.01, decaySteps: 100 } } } },
      loss: 'mean_squared_error',
      metrics: [{ className: 'MeanMetricWrapper', config: { fn: 'mean_absolute_error', name: 'mae' } }],
    });
  });

  test('what cannot be mapped is listed, each with its key', () => {
    const reading = readTrainingConfig({
      loss: 'mse',
      optimizer_config: { class_name: 'Adam', config: { lr: 0.01, decay: 0.001, use_ema: true, foo: 1 } },
      metrics: [{ class_name: 'MeanMetricWrapper', config: { name: 'custom' } }],
    });
    expect(reading.args).toBeNull();
    expect(reading.problems).toEqual([
      "optimizer 'Adam': option decay = 0.001 is not supported",
      "optimizer 'Adam': option use_ema = true is not supported",
      "optimizer 'Adam': unknown option foo",
      "metric 'custom': wraps a function that is not stored by name",
    ]);
    expect(readTrainingConfig({ loss: 'mse', optimizer_config: { class_name: 'Lion', config: {} } }).problems).toEqual([
      expect.stringMatching(/^optimizer 'Lion': unknown optimizer 'Lion'/),
    ]);
    expect(readTrainingConfig({ optimizer_config: { class_name: 'Adam', config: {} } }).problems).toEqual(['loss: none stored']);
  });
});
