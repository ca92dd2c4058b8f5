import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import { setSeed } from '../../engine/random';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Dense } from './dense';

describe('Dense', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('passes the shared layer test, 2-D and 3-D, with every kind of argument', () => {
    runLayerTest({
      make: () => new Dense({ units: 3, activation: 'tanh' }),
      input: tf.randomNormal([4, 5], 0, 1, 'float32', 1),
      expectedOutputShape: [4, 3],
      expectedWeights: ['kernel', 'bias'],
    });
    runLayerTest({
      make: () => new Dense({
        units: 2, useBias: false, kernelRegularizer: 'l2', kernelConstraint: 'nonNeg', activityRegularizer: 'l1', name: 'head',
      }),
      input: tf.randomNormal([2, 3, 4], 0, 1, 'float32', 2),
      expectedOutputShape: [2, 3, 2],
      expectedWeights: ['kernel'],
      supportsMasking: true,
      mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 0]]), expected: 'input' },
      unsupportedDialects: { tfjs: /activity_regularizer: Dense 'head' cannot be written for TensorFlow.js: tfjs cannot call a layer with an activity regularizer/ },
    });
  });

  test('parameter count and output shape, 2-D and 3-D', () => {
    const d = new Dense({ units: 10 });
    const y = d.apply(input({ shape: [100] }));
    expect((y as { shape: unknown }).shape).toEqual([null, 10]);
    expect(d.countParams()).toBe(1010);
    const td = new Dense({ units: 4, useBias: false });
    expect((td.apply(input({ shape: [7, 3] })) as { shape: unknown }).shape).toEqual([null, 7, 4]);
    expect(td.countParams()).toBe(12);
  });

  test('computes activation(x W + b) on the last axis of 3-D input', () => {
    const d = new Dense({ units: 2, activation: 'relu' });
    d.maybeBuild([null, 3]);
    d.setWeights([tf.tensor2d([[1, -1], [2, 0], [0, 1]]), tf.tensor1d([0.5, -10])]);
    const x = tf.tensor3d([[[1, 1, 1], [0, 1, 0]]]);
    const y = d.apply(x) as Tensor;
    expect(y.shape).toEqual([1, 2, 2]);
    expect(y.arraySync()).toEqual([[[3.5, 0], [2.5, 0]]]);
  });

  test('rejects input with the wrong last dimension, clearly', () => {
    const d = new Dense({ units: 2 });
    d.apply(tf.ones([1, 3]));
    expect(() => d.apply(tf.ones([1, 4]))).toThrow("Dense 'dense': was built for inputs with last dimension 3, got shape [1, 4].");
    expect(() => new Dense({ units: 1 }).apply(tf.ones([3]))).toThrow(/needs an input of rank >= 2/);
  });

  test('constraints are kept on the variables (the optimizer applies them)', () => {
    const d = new Dense({ units: 2, kernelConstraint: 'nonNeg', biasConstraint: { className: 'MaxNorm', config: { maxValue: 1 } } });
    d.maybeBuild([null, 2]);
    expect(d.weights.map((w) => w.constraint?.className)).toEqual(['NonNeg', 'MaxNorm']);
  });

  test('getConfig / fromConfig round trip with every argument', () => {
    const d = new Dense({
      units: 3, activation: 'tanh', useBias: false, kernelInitializer: 'heNormal', biasInitializer: 'ones',
      kernelRegularizer: 'l2', biasRegularizer: { className: 'L1', config: { l1: 0.2 } }, kernelConstraint: 'unitNorm',
      biasConstraint: 'nonNeg', activityRegularizer: 'l1', inputShape: [5], name: 'head', trainable: false,
    });
    const config = d.getConfig();
    expect(config).toMatchObject({
      name: 'head', units: 3, activation: 'tanh', useBias: false, trainable: false, batchInputShape: [null, 5],
      kernelInitializer: { className: 'HeNormal', config: { seed: null } }, biasInitializer: { className: 'Ones', config: {} },
      kernelRegularizer: { className: 'L2', config: { l2: 0.01 } }, kernelConstraint: { className: 'UnitNorm', config: { axis: 0 } },
      activityRegularizer: { className: 'L1', config: { l1: 0.01 } },
    });
    expect(Dense.fromConfig(config).getConfig()).toEqual(config);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  test('seeded construction is reproducible', () => {
    const make = () => {
      setSeed(123);
      const d = new Dense({ units: 3 });
      d.apply(tf.ones([1, 4]));
      return d.getWeights()[0].dataSync();
    };
    expect(Array.from(make())).toEqual(Array.from(make()));
  });
});
