import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../../engine/random';
import { createDropoutMask, dropoutActive, DropoutSeedStream } from './dropout_masks';

describe('dropout masks', () => {
  test('multipliers are 0 or 1/(1-rate), with about the right share of zeros', () => {
    const mask = createDropoutMask(50, 40, 0.25, 123);
    const v = Array.from(mask.dataSync());
    expect(v.every((m) => m === 0 || Math.abs(m - 1 / 0.75) < 1e-6)).toBe(true);
    const dropped = v.filter((m) => m === 0).length / v.length;
    expect(dropped).toBeGreaterThan(0.18);
    expect(dropped).toBeLessThan(0.32);
    mask.dispose();
  });

  test('the same seed gives the same mask; another seed another mask', () => {
    const a = createDropoutMask(4, 8, 0.5, 7);
    const b = createDropoutMask(4, 8, 0.5, 7);
    const c = createDropoutMask(4, 8, 0.5, 8);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
  });

  test('seed streams: equal seeds give equal sequences, successive draws differ', () => {
    const s1 = new DropoutSeedStream(42);
    const s2 = new DropoutSeedStream(42);
    const first = [s1.next(), s1.next(), s1.next()];
    expect([s2.next(), s2.next(), s2.next()]).toEqual(first);
    expect(new Set(first).size).toBe(3);
  });

  test('without a seed, the stream is reproducible after setSeed', () => {
    setSeed(99);
    const a = new DropoutSeedStream(null).next();
    setSeed(99);
    const b = new DropoutSeedStream(null).next();
    setSeed(null);
    expect(a).toBe(b);
  });

  test('dropout applies only in training and for 0 < rate < 1 (Keras)', () => {
    expect(dropoutActive(0.5, true)).toBe(true);
    expect(dropoutActive(0.5, false)).toBe(false);
    expect(dropoutActive(0, true)).toBe(false);
    expect(dropoutActive(1, true)).toBe(false);
    expect(() => createDropoutMask(2, 2, 1, 1)).toThrow(/rate must be in \(0, 1\)/);
  });

  test('no tensors leak', () => {
    const before = tf.memory().numTensors;
    createDropoutMask(3, 3, 0.3, 1).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
