/** Assertions on tensors shared by the test support: values within a tolerance, and no tensor left behind. */
import * as tf from '@tensorflow/tfjs';
import { toList } from '../engine/types';
import type { Tensor } from '../engine/types';

/** Throws naming `what` and the output when the tensors differ in count, shape, or by more than `tolerance` (strings: in any value). */
export function expectTensorsClose(actual: Tensor | Tensor[], expected: Tensor | Tensor[], tolerance: number, what: string): void {
  const a = toList(actual);
  const e = toList(expected);
  expect({ what, count: a.length }).toEqual({ what, count: e.length });
  a.forEach((t, i) => {
    expect({ what, output: i, shape: t.shape }).toEqual({ what, output: i, shape: e[i].shape });
    // Strings (raw text in and out of the text layers) have no difference to measure: equal or not.
    if (t.dtype === 'string' || e[i].dtype === 'string') {
      expect({ what, output: i, values: t.arraySync() }).toEqual({ what, output: i, values: e[i].arraySync() });
      return;
    }
    const diff = tf.tidy(() => (t.size === 0 ? 0 : tf.max(tf.abs(tf.sub(tf.cast(t, 'float32'), tf.cast(e[i], 'float32')))).dataSync()[0]));
    if (!(diff <= tolerance)) throw new Error(`${what}: output ${i} differs by ${diff} (tolerance ${tolerance}).`);
  });
}

/**
 * Runs `fn` twice and fails when the second run changes `tf.memory().numTensors` (the first run may
 * create lazy state, such as a weight's variable). `fn` returns the tensors it leaves to the caller,
 * which are disposed; tensors it must not dispose (a layer's input handed back) it leaves out.
 */
export function expectNoLeak(what: string, fn: () => Tensor | Tensor[] | void): void {
  tf.dispose(fn() ?? []);
  const before = tf.memory().numTensors;
  tf.dispose(fn() ?? []);
  expect({ what, leaked: tf.memory().numTensors - before }).toEqual({ what, leaked: 0 });
}
