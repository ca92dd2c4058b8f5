import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { runLayerTest } from '../../testing';
import { SimpleRNN } from './simple_rnn';
import { expectClose, expectNoLeak, maskOf, randn } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

describe('SimpleRNN layer', () => {
  test('passes the shared layer test: last output, sequences with states and a mask, backwards, stateful', () => {
    const x = randn([2, 4, 3], 1);
    const mask = maskOf([[1, 1, 0, 0], [1, 1, 1, 1]]);
    runLayerTest({
      make: () => new SimpleRNN({ units: 2 }), input: x, expectedOutputShape: [2, 2], expectedWeights: ['kernel', 'recurrent_kernel', 'bias'],
      supportsMasking: true, mask: { input: mask, expected: null },
    });
    runLayerTest({
      make: () => new SimpleRNN({ units: 2, activation: 'relu', returnSequences: true, returnState: true, dropout: 0.2, recurrentDropout: 0.3, seed: 4 }),
      input: x, training: true, expectedOutputShape: [[2, 4, 2], [2, 2]], mask: { input: mask, expected: ['input', null] },
      gradientCheck: { training: false }, // dropout draws new masks at every training call
    });
    runLayerTest({ make: () => new SimpleRNN({ units: 3, goBackwards: true, useBias: false }), input: x, expectedWeights: ['kernel', 'recurrent_kernel'] });
    runLayerTest({ make: () => new SimpleRNN({ units: 2, stateful: true, batchInputShape: [2, 4, 3] }), input: x, expectedOutputShape: [2, 2] });
  });

  test('SimpleRNN(128) on 60 features has 24,192 parameters (Keras)', () => {
    const layer = new SimpleRNN({ units: 128 });
    layer.build([null, 30, 60]);
    layer.built = true;
    expect(layer.countParams()).toBe(24192);
  });

  test('h_t = tanh(x_t·K + b + h_{t-1}·R) over a sequence, from Keras weight arrays', () => {
    const layer = new SimpleRNN({ units: 1, returnSequences: true });
    layer.build([null, 3, 1]);
    layer.setWeights([tf.tensor2d([[0.5]]), tf.tensor2d([[0.8]]), tf.tensor1d([0.1])]);
    const h1 = Math.tanh(0.5 * 1 + 0.1);
    const h2 = Math.tanh(0.5 * 2 + 0.1 + 0.8 * h1);
    const h3 = Math.tanh(0.5 * -1 + 0.1 + 0.8 * h2);
    expectClose(layer.apply(tf.tensor3d([[[1], [2], [-1]]])) as tf.Tensor, tf.tensor3d([[[h1], [h2], [h3]]]), 1e-6);
    expect(layer.weights.map((w) => w.name)).toEqual(['simple_rnn/kernel', 'simple_rnn/recurrent_kernel', 'simple_rnn/bias']);
  });

  test('getConfig has no seed key (as in Keras); fromConfig round trip', () => {
    const layer = new SimpleRNN({ units: 4, activation: 'relu', seed: 3, dropout: 0.25, returnState: true });
    const config = layer.getConfig();
    expect(config).not.toHaveProperty('seed');
    expect(config).toMatchObject({ units: 4, activation: 'relu', dropout: 0.25, returnState: true, zeroOutputForMask: false });
    expect(config).not.toHaveProperty('recurrentActivation');
    expect(SimpleRNN.fromConfig(JSON.parse(JSON.stringify(config))).getConfig()).toEqual(config);
  });

  test('returnState gives [output, h]', () => {
    const out = new SimpleRNN({ units: 2, returnState: true, returnSequences: true }).apply(randn([3, 4, 2], 1)) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[3, 4, 2], [3, 2]]);
  });

  test('no tensor leaks', () => {
    const layer = new SimpleRNN({ units: 3 });
    const x = randn([2, 4, 3], 2);
    expectNoLeak(() => layer.apply(x) as tf.Tensor);
  });
});
