import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Permute } from './permute';

describe('Permute', () => {
  test("Keras's example: Permute((2, 1)) on (None, 10, 64) gives (None, 64, 10)", () => {
    expect((new Permute({ dims: [2, 1] }).apply(input({ shape: [10, 64] })) as { shape: unknown }).shape).toEqual([null, 64, 10]);
  });

  test('moves the values with the axes', () => {
    const x = tf.range(0, 24).reshape([1, 2, 3, 4]);
    const y = new Permute({ dims: [3, 1, 2] }).apply(x) as Tensor;
    expect(y.shape).toEqual([1, 4, 2, 3]);
    expect((y.arraySync() as number[][][][])[0][3][1][2]).toBe((x.arraySync() as number[][][][])[0][1][2][3]);
  });

  test('passes the shared layer test', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    runLayerTest({
      make: () => new Permute({ dims: [2, 1], name: 'swap' }), input: x, expectedOutputShape: [2, 4, 3], expectedOutput: tf.transpose(x, [0, 2, 1]),
      expectedWeights: [], mask: { input: tf.tensor2d([[1, 1, 0], [1, 0, 1]]).cast('bool'), expected: null },
    });
  });

  test('dims must be a permutation of 1..n matching the input rank', () => {
    expect(() => new Permute({ dims: [0, 1] })).toThrow(/Permute: dims.0: expected a positive integer, got 0/);
    expect(() => new Permute({ dims: [1, 3] })).toThrow(/dims must be a permutation of 1..2 \(axis 0, the batch, stays\), got \[1, 3\]/);
    expect(() => new Permute({ dims: [2, 1] }).apply(input({ shape: [3] }))).toThrow(/dims \[2, 1\] need inputs of rank 3, got \(None, 3\)/);
  });
});
