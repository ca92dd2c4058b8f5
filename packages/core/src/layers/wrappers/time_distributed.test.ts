import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import type { Tensor } from '../../engine/types';
import { Dense } from '../core/dense';
import { LSTM } from '../rnn/lstm';
import { Sequential } from '../../models/sequential';
import { Bidirectional } from './bidirectional';
import { runLayerTest } from '../../testing';
import { TimeDistributed } from './time_distributed';

describe('TimeDistributed', () => {
  beforeEach(() => resetNameCounters());

  test('passes the shared layer test', () => {
    runLayerTest({
      make: () => new TimeDistributed({ layer: new Dense({ units: 3, activation: 'relu', name: 'per_step' }) }),
      input: tf.randomNormal([2, 4, 5], 0, 1, 'float32', 1),
      expectedOutputShape: [2, 4, 3],
      expectedWeights: ['kernel', 'bias'],
      supportsMasking: true,
      mask: { input: tf.tensor2d([[1, 1, 0, 0], [1, 1, 1, 0]]).cast('bool'), expected: 'input' },
    });
  });

  test('applies the inner layer to every step; shapes and parameters', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 3 }) });
    expect(td.name).toBe('time_distributed');
    const y = td.apply(input({ shape: [5, 4] }));
    expect((y as { shape: unknown }).shape).toEqual([null, 5, 3]);
    expect(td.countParams()).toBe(15);
    // Named after the wrapper, as TensorFlow.js and Keras 2 name them (and their files spell them).
    expect(td.weights.map((w) => w.name)).toEqual(['time_distributed/kernel', 'time_distributed/bias']);
  });

  test('weight names of nested wrappers, built inner layers and wrapped models', () => {
    const bi = new TimeDistributed({ layer: new Bidirectional({ layer: new LSTM({ units: 2 }) }), name: 'td' });
    bi.apply(input({ shape: [3, 4, 5] }));
    expect(bi.weights.map((w) => w.name)).toEqual([
      'td/forward_lstm/kernel', 'td/forward_lstm/recurrent_kernel', 'td/forward_lstm/bias',
      'td/backward_lstm/kernel', 'td/backward_lstm/recurrent_kernel', 'td/backward_lstm/bias',
    ]);
    // A layer built before it is wrapped already has its weights, and keeps their names.
    const built = new Dense({ units: 2, name: 'built' });
    built.maybeBuild([null, 4]);
    const keeps = new TimeDistributed({ layer: built });
    keeps.apply(input({ shape: [3, 4] }));
    expect(keeps.weights.map((w) => w.name)).toEqual(['built/kernel', 'built/bias']);
    // A wrapped model keeps its layers' names.
    const inner = new Sequential({ name: 'inner', layers: [new Dense({ units: 2, name: 'inner_dense', inputShape: [4] })] });
    const model = new TimeDistributed({ layer: inner });
    model.apply(input({ shape: [3, 4] }));
    expect(model.weights.map((w) => w.name)).toEqual(['inner_dense/kernel', 'inner_dense/bias']);
  });

  test('same result as the inner layer step by step', () => {
    const dense = new Dense({ units: 2, activation: 'tanh' });
    const td = new TimeDistributed({ layer: dense });
    const x = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1);
    const y = td.apply(x) as Tensor;
    for (let t = 0; t < 4; t++) {
      const step = dense.apply(x.slice([0, t, 0], [3, 1, 5]).reshape([3, 5])) as Tensor;
      const got = y.slice([0, t, 0], [3, 1, 2]).reshape([3, 2]);
      expect(got.sub(step).abs().max().dataSync()[0]).toBeLessThan(1e-6);
    }
  });

  test('mask passes through; weights set and read through the wrapper; trainable propagates', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 1 }) });
    const m = tf.tensor2d([[1, 0]]).cast('bool');
    td.apply(tf.ones([1, 2, 3]), { mask: m });
    expect(td.computeMask(tf.ones([1, 2, 3]), m)).toBe(m);
    td.setWeights([tf.ones([3, 1]), tf.tensor1d([1])]);
    expect((td.apply(tf.ones([1, 2, 3])) as Tensor).arraySync()).toEqual([[[4], [4]]]);
    td.trainable = false;
    expect(td.layer.trainable).toBe(false);
    expect(td.trainableWeights).toEqual([]);
  });

  test('errors and config round trip', () => {
    expect(() => new TimeDistributed({ layer: 3 as never })).toThrow(/TimeDistributed: layer: expected a layer/);
    expect(() => new TimeDistributed({ layer: new Dense({ units: 1 }) }).apply(input({ shape: [3] }))).toThrow(/expects inputs of rank >= 3/);
    const td = new TimeDistributed({ layer: new Dense({ units: 2, activation: 'softmax' }), name: 'per_step' });
    const config = td.getConfig();
    expect(config.layer).toMatchObject({ className: 'Dense', config: { units: 2, activation: 'softmax' } });
    expect(TimeDistributed.fromConfig(config).getConfig()).toEqual(config);
  });
});
