import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../engine/types';
import { Masking } from './masking';

describe('Masking', () => {
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
});
