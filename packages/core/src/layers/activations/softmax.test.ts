import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Softmax } from './softmax';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('Softmax', () => {
  test("Keras's example: [1, 2, 1] gives [0.21194157, 0.5761169, 0.21194157]", () => {
    const y = new Softmax().apply(tf.tensor1d([1, 2, 1]).expandDims(0)) as Tensor;
    values(y).forEach((v, i) => expect(v).toBeCloseTo([0.21194157, 0.5761169, 0.21194157][i], 6));
  });

  test('another axis, and several axes together', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4]]]);
    const overSteps = new Softmax({ axis: 1 }).apply(x) as Tensor;
    const s = 1 / (1 + Math.exp(2));
    values(overSteps).forEach((v, i) => expect(v).toBeCloseTo([s, s, 1 - s, 1 - s][i], 6));
    const overBoth = new Softmax({ axis: [1, 2] }).apply(x) as Tensor;
    const z = [1, 2, 3, 4].reduce((acc, v) => acc + Math.exp(v), 0);
    values(overBoth).forEach((v, i) => expect(v).toBeCloseTo(Math.exp(i + 1) / z, 6));
  });

  test('masks (Keras 3): masked positions get 0, a fully masked row is all zeros, a mask broadcasts from the right', () => {
    const x = tf.tensor2d([[1, 2, 1], [5, 5, 5]]);
    const y = new Softmax().apply(x, { mask: tf.tensor2d([[1, 1, 0], [0, 0, 0]]).cast('bool') }) as Tensor;
    const e = Math.exp(1) / (Math.exp(1) + Math.exp(2));
    values(y).forEach((v, i) => expect(v).toBeCloseTo([e, 1 - e, 0, 0, 0, 0][i], 6));
    // A float mask keeps the entries > 0.5; a [1, 3] mask applies to every row.
    const z = new Softmax().apply(x, { mask: tf.tensor2d([[0.9, 0.2, 0.7]]) }) as Tensor;
    values(z).forEach((v, i) => expect(v).toBeCloseTo([0.5, 0, 0.5, 0.5, 0, 0.5][i], 6));
    expect(() => new Softmax().apply(tf.ones([2, 3, 4]), { mask: tf.ones([2, 3]).cast('bool') }))
      .toThrow(/the mask \[2, 3\] must broadcast to the inputs \[2, 3, 4\]/);
  });

  test('the mask passes through unchanged', () => {
    const m = tf.tensor2d([[1, 0]]).cast('bool');
    expect(new Softmax().computeMask(tf.ones([1, 2, 3]), m)).toBe(m);
  });

  test('passes the shared layer test over the last axis, another axis, two axes', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    runLayerTest({
      make: () => new Softmax({ name: 'probs' }), input: x, expectedOutputShape: [2, 3, 4], expectedOutput: tf.softmax(x), expectedWeights: [], supportsMasking: true,
      // A mask that fits the logits ([batch, steps, 1] broadcasts over the classes) passes through.
      mask: { input: tf.tensor3d([[[1], [1], [0]], [[1], [0], [1]]]).cast('bool'), expected: 'input' },
    });
    // tfjs computes a softmax over the last axis only.
    const lastAxisOnly = (axis: string) => new RegExp(`axis: Softmax 'probs' cannot be written for TensorFlow.js: TensorFlow.js's Softmax only computes over the last axis \\(axis -1\\), got ${axis}`);
    runLayerTest({ make: () => new Softmax({ axis: 1, name: 'probs' }), input: x, expectedOutputShape: [2, 3, 4], unsupportedDialects: { tfjs: lastAxisOnly('1') } });
    runLayerTest({ make: () => new Softmax({ axis: [1, 2], name: 'probs' }), input: x, expectedOutputShape: [2, 3, 4], unsupportedDialects: { tfjs: lastAxisOnly('\\[1,2\\]') } });
  });

  test('a masked softmax has the gradient of the softmax over the kept positions', () => {
    const mask = tf.tensor2d([[1, 0, 1]]).cast('bool');
    const w = tf.tensor2d([[1, 7, -2]]);
    const g = tf.grad((x: Tensor) => tf.sum(tf.mul(new Softmax().apply(x, { mask }) as Tensor, w)))(tf.tensor2d([[0.3, 0.1, -0.4]]));
    const h = tf.grad((x: Tensor) => tf.sum(tf.mul(tf.softmax(x), tf.tensor2d([[1, -2]]))))(tf.tensor2d([[0.3, -0.4]]));
    const [g0, g1, g2] = values(g);
    const [h0, h1] = values(h);
    expect(g0).toBeCloseTo(h0, 6);
    expect(g1).toBeCloseTo(0, 9);
    expect(g2).toBeCloseTo(h1, 6);
  });

  test('argument errors', () => {
    expect(() => new Softmax({ axis: 'last' as never })).toThrow(/Softmax: axis: expected an integer or a list of integers, got "last"/);
    expect(() => new Softmax({ axis: 3 }).apply(tf.ones([1, 2]))).toThrow(/axis 3 is out of range for inputs of rank 2/);
  });
});
