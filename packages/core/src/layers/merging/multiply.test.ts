import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Multiply } from './multiply';

const x1 = tf.tensor3d([[[2], [3], [4]]]);
const x2 = tf.tensor3d([[[5], [7], [11]]]);
const mask = (bits: number[]) => tf.tensor2d([bits]).cast('bool');
const product = (masks: (Tensor | null)[]) => (new Multiply().apply([x1, x2], { mask: masks as Tensor[] }) as Tensor).reshape([-1]).arraySync();

describe('Multiply', () => {
  test('elementwise product of several inputs', () => {
    expect(product([null, null])).toEqual([10, 21, 44]);
    expect((new Multiply().apply([x1, x1, x2]) as Tensor).reshape([-1]).arraySync()).toEqual([20, 63, 176]);
  });

  test('masks (Keras 3): a masked entry counts as 1; entries masked everywhere are 0 when all inputs have masks', () => {
    expect(product([mask([1, 0, 1]), null])).toEqual([10, 7, 44]);
    expect(product([mask([1, 0, 0]), mask([1, 1, 0])])).toEqual([10, 7, 0]);
    const out = new Multiply().computeMask([x1, x2], [mask([1, 0, 0]), mask([0, 1, 0])]) as Tensor;
    expect(out.arraySync()).toEqual([[1, 1, 0]]);
  });

  test('passes the shared layer test, also broadcasting inputs of other shapes and ranks', () => {
    const [a, b] = [1, 2].map((seed) => tf.randomNormal([2, 3, 4], 0, 1, 'float32', seed));
    runLayerTest({
      make: () => new Multiply({ name: 'times' }), input: [a, b], expectedOutputShape: [2, 3, 4], expectedOutput: tf.mul(a, b), expectedWeights: [],
      mask: { input: mask([1, 0, 1]).tile([2, 1]), expected: null },
    });
    const [row, vector] = [tf.randomNormal([2, 1, 4], 0, 1, 'float32', 3), tf.randomNormal([2, 4], 0, 1, 'float32', 4)];
    runLayerTest({
      make: () => new Multiply({ name: 'times' }), input: [a, row, vector], expectedOutputShape: [2, 3, 4], expectedOutput: tf.mul(tf.mul(a, row), vector.expandDims(1)),
    });
  });

  test('the gradient skips masked entries', () => {
    const g = tf.grad((a: Tensor) => tf.sum(new Multiply().apply([a, x2], { mask: [mask([1, 0, 1]), null as never] }) as Tensor))(x1);
    expect(g.reshape([-1]).arraySync()).toEqual([5, 0, 11]);
  });
});
