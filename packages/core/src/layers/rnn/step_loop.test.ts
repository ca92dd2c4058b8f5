import * as tf from '@tensorflow/tfjs';
import { runStepLoop, type StepFunction } from './step_loop';
import { maskOf } from './__tests__/helpers';

/** A running sum: state s_t = s_{t-1} + x_t, output = 10 * s_t (so outputs and states differ). */
const runningSum: StepFunction = (x, [s]) => {
  const next = tf.add(s, x);
  return [tf.mul(next, 10), [next]];
};

const x = tf.tensor3d([[[1], [2], [3], [4]], [[5], [6], [7], [8]]]);
const zeros = tf.zeros([2, 1]);

function values(t: tf.Tensor | null): number[] {
  return Array.from((t as tf.Tensor).dataSync());
}

describe('runStepLoop (Keras TF-backend loop semantics)', () => {
  test('runs forward and stacks outputs in time order', () => {
    const r = runStepLoop(runningSum, x, [zeros], { returnAllOutputs: true });
    expect(values(r.outputs)).toEqual([10, 30, 60, 100, 50, 110, 180, 260]);
    expect(values(r.lastOutput)).toEqual([100, 260]);
    expect(values(r.states[0])).toEqual([10, 26]);
  });

  test('goBackwards processes t = T-1..0 and keeps outputs in processing order (not flipped)', () => {
    const r = runStepLoop(runningSum, x, [zeros], { returnAllOutputs: true, goBackwards: true });
    expect(values(r.outputs)).toEqual([40, 70, 90, 100, 80, 150, 210, 260]);
    expect(values(r.lastOutput)).toEqual([100, 260]);
  });

  test('masked steps keep the states and repeat the previous output; leading masked steps emit zeros', () => {
    const mask = maskOf([[0, 1, 0, 1], [1, 1, 0, 0]]);
    const r = runStepLoop(runningSum, x, [tf.ones([2, 1])], { returnAllOutputs: true, mask });
    // Row 0: step 0 masked (output 0 even though h0 = 1), then 1+2=3 -> 30, masked -> 30 again, 3+4=7 -> 70.
    // Row 1: 1+5=6 -> 60, 6+6=12 -> 120, then two masked steps repeat 120.
    expect(values(r.outputs)).toEqual([0, 30, 30, 70, 60, 120, 120, 120]);
    expect(values(r.states[0])).toEqual([7, 12]);
    expect(values(r.lastOutput)).toEqual([70, 120]);
  });

  test('zeroOutputForMask emits zeros at masked steps (also as the last output)', () => {
    const mask = maskOf([[1, 1, 0, 0], [1, 1, 1, 1]]);
    const r = runStepLoop(runningSum, x, [zeros], { returnAllOutputs: true, mask, zeroOutputForMask: true });
    expect(values(r.outputs)).toEqual([10, 30, 0, 0, 50, 110, 180, 260]);
    expect(values(r.lastOutput)).toEqual([0, 260]);
    expect(values(r.states[0])).toEqual([3, 26]);
  });

  test('a row masked everywhere outputs zeros and keeps its initial state', () => {
    const mask = maskOf([[0, 0, 0, 0], [1, 1, 1, 1]]);
    const r = runStepLoop(runningSum, x, [tf.tensor2d([[5], [0]])], { returnAllOutputs: true, mask });
    expect(values(r.outputs).slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(values(r.states[0])).toEqual([5, 26]);
  });

  test('a masked step passes no gradient to its input', () => {
    const mask = maskOf([[1, 0, 1, 1], [1, 1, 1, 1]]);
    const g = tf.grad((input: tf.Tensor) => {
      const r = runStepLoop(runningSum, input, [zeros], { returnAllOutputs: false, mask });
      return tf.sum(r.lastOutput);
    })(x);
    expect(values(g)).toEqual([10, 0, 10, 10, 10, 10, 10, 10]);
  });

  test('bool masks work like 0/1 masks', () => {
    const mask = tf.tensor2d([[true, false, true, true], [true, true, true, true]], undefined, 'bool');
    const r = runStepLoop(runningSum, x, [zeros], { returnAllOutputs: false, mask });
    expect(values(r.lastOutput)).toEqual([80, 260]);
  });

  test('clear errors for a wrong mask shape, a wrong state count and a missing time axis', () => {
    expect(() => runStepLoop(runningSum, x, [zeros], { returnAllOutputs: false, mask: tf.ones([2, 3]) }))
      .toThrow(/mask: expected shape \[2, 4\]/);
    expect(() => runStepLoop(runningSum, x, [zeros, zeros], { returnAllOutputs: false })).toThrow(/returned 1 state/);
    expect(() => runStepLoop(runningSum, tf.ones([2, 3]), [zeros], { returnAllOutputs: false })).toThrow(/\[batch, time/);
  });

  test('frees its per-step intermediates', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      runStepLoop(runningSum, x, [zeros], { returnAllOutputs: true, mask: maskOf([[1, 0, 1, 1], [1, 1, 1, 0]]) });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
