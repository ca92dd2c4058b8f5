import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import type { Tensor } from '../../engine/types';
import { Model } from '../../models/model';
import { runLayerTest } from '../../testing';
import { ActivityRegularization } from './activity_regularization';

describe('ActivityRegularization', () => {
  test('the identity, adding l1 * sum|x| + l2 * sum x^2 to the losses (hand-computed)', () => {
    const layer = new ActivityRegularization({ l1: 0.1, l2: 0.01 });
    const x = tf.tensor2d([[1, -2], [3, 0]]);
    expect(Array.from((layer.apply(x) as Tensor).dataSync())).toEqual([1, -2, 3, 0]);
    const [penalty] = layer.losses;
    expect(penalty.dataSync()[0]).toBeCloseTo(0.1 * 6 + 0.01 * 14, 5);
  });

  test('in a model, its penalty is among the model losses; the mask passes through', () => {
    const a = input({ shape: [2] });
    const m = new Model({ inputs: a, outputs: new ActivityRegularization({ l2: 1 }).apply(a) as SymbolicTensor });
    tf.dispose(m.predict(tf.tensor2d([[1, 2]])) as Tensor);
    expect(m.losses.map((t) => t.dataSync()[0])).toEqual([5]);
    const mask = tf.tensor2d([[1, 0]]).cast('bool');
    expect(new ActivityRegularization().computeMask(tf.ones([1, 2, 1]), mask)).toBe(mask);
  });

  test('config holds l1 and l2, not an activity_regularizer (as in Keras)', () => {
    const config = new ActivityRegularization({ l1: 0.5, name: 'reg' }).getConfig();
    expect(config).toEqual({ name: 'reg', trainable: true, dtype: 'float32', l1: 0.5, l2: 0 });
    expect(() => new ActivityRegularization({ activityRegularizer: 'l2' } as never)).toThrow(/unknown argument "activityRegularizer"/);
  });

  test('passes the shared layer test (Keras 3 dialect only: tfjs has no ActivityRegularization)', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    runLayerTest({
      make: () => new ActivityRegularization({ l1: 0.01, l2: 0.02, name: 'reg' }), input: x, expectedOutputShape: [2, 3, 4], expectedOutput: x, expectedWeights: [],
      supportsMasking: true, mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: 'input' },
      unsupportedDialects: { tfjs: /ActivityRegularization 'reg' cannot be written for TensorFlow.js: TensorFlow.js has no ActivityRegularization layer/ },
    });
  });
});
