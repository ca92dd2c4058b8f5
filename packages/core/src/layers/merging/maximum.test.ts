import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Maximum } from './maximum';

const mask = (bits: number[]) => tf.tensor2d([bits]).cast('bool');
const column = (values: number[]) => tf.tensor3d(values, [1, values.length, 1]);

describe('Maximum', () => {
  test('elementwise maximum; a masked entry does not take part (Keras 3)', () => {
    const a = column([1, 9, -3]);
    const b = column([4, 2, -5]);
    expect((new Maximum().apply([a, b]) as Tensor).reshape([-1]).arraySync()).toEqual([4, 9, -3]);
    expect((new Maximum().apply([a, b], { mask: [mask([1, 0, 1]), mask([1, 1, 1])] }) as Tensor).reshape([-1]).arraySync()).toEqual([4, 2, -3]);
    expect((new Maximum().apply([a, b], { mask: [null as never, mask([1, 1, 0])] }) as Tensor).reshape([-1]).arraySync()).toEqual([4, 9, -3]);
    // Masked in every input: the first input's value stands.
    expect((new Maximum().apply([a, b], { mask: [mask([0, 1, 0]), mask([0, 1, 0])] }) as Tensor).reshape([-1]).arraySync()).toEqual([1, 9, -3]);
  });

  test('passes the shared layer test', () => {
    const xs = [1, 2].map((seed) => tf.randomNormal([2, 3, 4], 0, 1, 'float32', seed));
    runLayerTest({
      make: () => new Maximum({ name: 'max' }), input: xs, expectedOutputShape: [2, 3, 4], expectedOutput: tf.maximum(xs[0], xs[1]), expectedWeights: [],
      mask: { input: mask([1, 0, 1]).tile([2, 1]), expected: null },
    });
  });

  test('a mask that does not fit the input is a clear error', () => {
    expect(() => new Maximum().apply([tf.ones([1, 3]), tf.ones([1, 3])], { mask: [mask([1, 0, 1]), null as never] })).toThrow(/a mask of shape \[1, 3\] does not fit an input of shape \[1, 3\]/);
  });
});
