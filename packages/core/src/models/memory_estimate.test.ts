import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { Sequential } from './sequential';
import { modelFromJSON } from '../config/model_from_json';
import { ConfigError } from '../config/config_error';
import { MEMORY_LIMIT_VARIABLE, MemoryLimitError, memoryLimit, parseByteSize, setMemoryLimit } from './memory_estimate';

afterEach(() => {
  setMemoryLimit(undefined);
  delete process.env[MEMORY_LIMIT_VARIABLE];
});

/** 25 million words of 64 values: 1.6e9 parameters, 6.4 GB of weights, 25.6 GB to train with Adam. */
const huge = {
  class_name: 'Sequential',
  config: {
    layers: [
      { class_name: 'Embedding', config: { input_dim: 25_000_000, output_dim: 64, batch_input_shape: [null, 10] } },
      { class_name: 'LSTM', config: { units: 8 } },
      { class_name: 'Dense', config: { units: 1 } },
    ],
  },
};

describe('memory estimates refuse a model too large for the machine before allocating it', () => {
  test('the estimate of a small model, by hand', () => {
    const m = new Sequential();
    m.add(layers.lstm({ units: 3, inputShape: [5, 2], returnSequences: true }));
    m.add(layers.dense({ units: 4 }));
    const params = 4 * 3 * (2 + 3 + 1) + 4 * (3 + 1);
    expect(m.memoryEstimate()).toMatchObject({ parameters: params, weightBytes: 4 * params, totalBytes: 4 * params });
    const training = m.memoryEstimate({ training: { batchSize: 8, slotsPerWeight: 2, optimizerName: 'Adam' } });
    // Outputs [5, 3] and [5, 4] per sample; the LSTM keeps 12 gates and 2 x 3 states at each of 5 steps.
    const perSample = 5 * 3 + 5 * 4 + 5 * (12 + 6);
    expect(training).toMatchObject({ optimizerBytes: 4 * params * 3, activationBytes: 2 * 8 * perSample * 4 });
    expect(training.purpose).toBe('training at batch size 8 with Adam (2 slots per weight)');
    m.dispose();
  });

  test('a 1.6e9-parameter config is refused when built, with the estimate, and nothing is allocated', () => {
    setMemoryLimit(4e9);
    const before = tf.memory().numBytes;
    let error: unknown;
    try {
      modelFromJSON(huge);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/the model has 1600002345 parameters: holding its weights needs about 6\.4 GB, more than the limit set with setMemoryLimit\(\) \(4\.0 GB\)/);
    expect((error as Error).message).toMatch(/set RECURRENT_MEMORY_LIMIT \(a size such as 64GB, or none\) if you know it fits/);
    expect(tf.memory().numBytes).toBe(before);
  });

  test('fit refuses a run whose training would not fit, before its first step', async () => {
    process.env[MEMORY_LIMIT_VARIABLE] = '20GB';
    const m = modelFromJSON(huge);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.zeros([4, 10]);
    const y = tf.zeros([4, 1]);
    const before = tf.memory().numBytes;
    const fit = m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    await expect(fit).rejects.toThrow(MemoryLimitError);
    await expect(fit).rejects.toThrow(/training at batch size 2 with Adam \(2 slots per weight\) needs about 25\.6 GB \(weights 6\.4 GB, gradients and optimizer slots 19\.2 GB, activations .*\), more than RECURRENT_MEMORY_LIMIT \(20\.0 GB\)/);
    expect(tf.memory().numBytes).toBe(before);
    tf.dispose([x, y]);
    m.dispose();
  });

  test('the limit can be raised or removed by users who know better', () => {
    setMemoryLimit(Infinity);
    const m = modelFromJSON(huge);
    expect(m.countParams()).toBe(1600002345);
    m.dispose();
    setMemoryLimit(undefined);
    process.env[MEMORY_LIMIT_VARIABLE] = 'none';
    expect(memoryLimit().bytes).toBe(Infinity);
    process.env[MEMORY_LIMIT_VARIABLE] = 'lots';
    expect(() => memoryLimit()).toThrow(/RECURRENT_MEMORY_LIMIT='lots' is not a size; use a size such as 64GB or 512MiB, or none/);
  });

  test('sizes', () => {
    expect(parseByteSize('64GB')).toBe(64e9);
    expect(parseByteSize('512 MiB')).toBe(512 * 2 ** 20);
    expect(parseByteSize('1e10')).toBe(1e10);
    expect(parseByteSize('none')).toBe(Infinity);
    expect(parseByteSize('-1GB')).toBeUndefined();
    expect(parseByteSize('12 parsecs')).toBeUndefined();
  });
});
