import * as tf from '@tensorflow/tfjs';
import { maskSteps } from './mask_steps';

describe('maskSteps', () => {
  test('equals x * any(x != v, -1) and any(x != v, -1)', () => {
    const x = tf.tensor3d([[[1, -1], [-1, -1], [0, 2]], [[-1, -1], [NaN, -1], [-1, 0]]]);
    const { output, keep } = maskSteps(x, -1);
    expect(Array.from(output.dataSync(), (v) => (Number.isNaN(v) ? 'NaN' : v + 0))).toEqual([1, -1, 0, 0, 0, 2, 0, 0, 'NaN', -1, -1, 0]);
    expect(keep.shape).toEqual([2, 3]);
    expect(keep.arraySync()).toEqual([[1, 0, 1], [0, 1, 1]]);
    const reference = tf.tidy(() => tf.any(tf.notEqual(x, -1), -1).cast('float32'));
    expect(keep.arraySync()).toEqual(reference.arraySync());
    tf.dispose([x, output, keep, reference]);
  });

  test('the gradient passes dy through the kept steps only; nothing leaks', () => {
    const x = tf.tensor3d([[[1, 0], [0, 0], [0, 3]]]);
    const dy = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
    const before = tf.memory().numTensors;
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maskSteps(t, 0).output, dy)))(x);
    // tfjs cannot differentiate through any(): the reference takes the step mask as a constant.
    const keep = tf.tidy(() => tf.any(tf.notEqual(x, 0), -1, true).cast('float32'));
    const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mul(t, keep), dy)))(x);
    expect(ours.arraySync()).toEqual([[[1, 2], [0, 0], [5, 6]]]);
    expect(ours.arraySync()).toEqual(theirs.arraySync());
    tf.dispose([ours, theirs, keep]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy]);
  });

  test('bad inputs give clear errors', () => {
    expect(() => maskSteps(tf.scalar(1), 0)).toThrow(/rank >= 1/);
    expect(() => maskSteps(tf.tensor1d([1], 'int32'), 0)).toThrow(/expected float32 values, got int32/);
  });
});
