import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Masking } from './masking';

describe('Masking', () => {
  test('passes the shared layer test; its mask is its own', () => {
    const x = tf.tensor3d([[[1, -1], [-1, -1], [0, 2]], [[-1, -1], [3, 3], [-1, -1]]]);
    runLayerTest({
      make: () => new Masking({ maskValue: -1 }),
      input: x,
      expectedOutputShape: [2, 3, 2],
      expectedOutput: tf.tensor3d([[[1, -1], [0, 0], [0, 2]], [[0, 0], [3, 3], [0, 0]]]),
      expectedWeights: [],
      mask: { input: null, expected: tf.tensor2d([[1, 0, 1], [0, 1, 0]], undefined, 'bool') },
      gradientCheck: { skip: 'the output jumps where a step stops equalling maskValue, and this input is built of such steps' },
    });
  });

  test('masks steps whose features all equal maskValue and zeroes them', () => {
    const m = new Masking({ maskValue: -1 });
    const x = tf.tensor3d([[[1, -1], [-1, -1], [0, 2]]]);
    expect((m.computeMask(x) as Tensor).arraySync()).toEqual([[1, 0, 1]]);
    expect(Array.from((m.apply(x) as Tensor).dataSync(), (v) => v + 0)).toEqual([1, -1, 0, 0, 0, 2]);
  });

  test('default maskValue 0; config round trip; bad value', () => {
    const m = new Masking();
    expect((m.computeMask(tf.tensor3d([[[0, 0], [0, 1]]])) as Tensor).arraySync()).toEqual([[0, 1]]);
    expect(Masking.fromConfig(m.getConfig()).getConfig()).toEqual(m.getConfig());
    expect(m.getConfig().maskValue).toBe(0);
    expect(() => new Masking({ maskValue: 'x' as never })).toThrow('Masking: maskValue: expected a number, got "x"');
  });

  test('the output is differentiable in x (masked steps get no gradient) and nothing leaks', () => {
    const m = new Masking({ maskValue: 0 });
    const x = tf.tensor3d([[[1, 0], [0, 0], [0, 3]]]);
    m.apply(x);
    const before = tf.memory().numTensors;
    const g = tf.grad((t: tf.Tensor) => (m.apply(t) as Tensor).mul(tf.tensor3d([[[1, 2], [3, 4], [5, 6]]])).sum())(x);
    expect(g.arraySync()).toEqual([[[1, 2], [0, 0], [5, 6]]]);
    g.dispose();
    const { outputs, mask } = m.callAndComputeMask(x, {});
    expect((mask as Tensor).dtype).toBe('bool');
    tf.dispose([outputs as Tensor, mask as Tensor]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
