/**
 * A stateful layer fed one timestep in inference runs the kernel's one-step entry: its outputs and
 * carried states equal the whole-sequence call's step by step (every cell, GRU both ways, batch 1 and
 * 3, returnSequences and returnState), it allocates no lasting tensors, and the cases it does not take
 * (gradients recorded, a mask, given initial states, training with dropout, several timesteps) run the
 * fused op as before, with the same results.
 */
import * as tf from '@tensorflow/tfjs';
import { setImplementation } from '@recurrent/kernels';
import { resetNameCounters } from '../../engine/names';
import { Sequential } from '../../models/sequential';
import { GRU } from './gru';
import { LSTM } from './lstm';
import type { RNN } from './rnn';
import { SimpleRNN } from './simple_rnn';
import { copyWeights, expectClose, randn } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

type LayerArgs = Record<string, unknown>;
const CELLS: { name: string; make: (a: LayerArgs) => RNN }[] = [
  { name: 'SimpleRNN', make: (a) => new SimpleRNN({ units: 5, ...a }) },
  { name: 'LSTM', make: (a) => new LSTM({ units: 5, ...a }) },
  { name: 'GRU', make: (a) => new GRU({ units: 5, ...a }) },
  { name: 'GRU resetAfter false', make: (a) => new GRU({ units: 5, resetAfter: false, ...a }) },
];

const T = 4, F = 3;

/** Time step t of x [batch, T, F] as [batch, 1, F]. */
const stepOf = (x: tf.Tensor, t: number) => tf.slice(x, [0, t, 0], [x.shape[0], 1, F]);

describe.each(['native', 'typescript'] as const)('stateful one-step calls (%s kernels)', (kernels) => {
  beforeAll(() => setImplementation(kernels));
  afterAll(() => setImplementation('native'));

  describe.each(CELLS)('$name', ({ make }) => {
    test.each([1, 3])('batch %i: every step equals the whole sequence at that step; states, returnSequences and returnState', (batch) => {
      const x = randn([batch, T, F], 5);
      const whole = make({ returnSequences: true, returnState: true });
      const stepped = make({ stateful: true, returnSequences: true, returnState: true, batchInputShape: [batch, 1, F] });
      const [wholeOut, ...wholeStates] = whole.apply(x) as tf.Tensor[];
      tf.dispose(stepped.apply(stepOf(x, 0)) as tf.Tensor[]);
      copyWeights(whole, stepped);
      stepped.resetStates();
      const before = tf.memory().numTensors;
      for (let t = 0; t < T; t++) {
        const xt = stepOf(x, t);
        const [out, ...states] = stepped.apply(xt) as tf.Tensor[];
        expect(stepped.lastCallFused).toBe(true);
        expect(out.shape).toEqual([batch, 1, 5]);
        const expected = tf.slice(wholeOut, [0, t, 0], [batch, 1, 5]);
        expectClose(out, expected, 1e-6);
        // The returned states are the carried ones, as tensors of their own.
        states.forEach((s, i) => expectClose(s, stepped.states![i], 0));
        tf.dispose([xt, out, expected, ...states]);
      }
      expect(tf.memory().numTensors).toBe(before);
      wholeStates.forEach((s, i) => expectClose(stepped.states![i], s, 1e-6));
      // Disposing an output leaves the carried state intact.
      const last = stepped.states!.map((s) => s.clone());
      stepped.resetStates(last);
      const y = stepped.apply(stepOf(x, 0)) as tf.Tensor[];
      tf.dispose(y);
      expect(stepped.states!.every((s) => !s.isDisposed)).toBe(true);
      tf.dispose([x, wholeOut, ...wholeStates, ...last]);
      whole.dispose();
      stepped.dispose();
    });
  });

  test.each(CELLS)('$name: states carried by one-step calls reach a whole-sequence call, the states getter and resetStates', ({ make }) => {
    const x = randn([2, T, F], 9);
    const whole = make({ returnSequences: true });
    const stepped = make({ stateful: true, returnSequences: true, batchInputShape: [2, 1, F] });
    const wholeOut = whole.apply(x) as tf.Tensor;
    tf.dispose(stepped.apply(stepOf(x, 0)) as tf.Tensor);
    copyWeights(whole, stepped);
    stepped.resetStates();
    const before = tf.memory().numTensors;
    // Two one-step calls, the states not read in between; then the rest of the sequence in one call.
    for (let t = 0; t < 2; t++) {
      const xt = stepOf(x, t);
      tf.dispose([xt, stepped.apply(xt) as tf.Tensor]);
    }
    expect(tf.memory().numTensors).toBe(before);
    const rest = tf.slice(x, [0, 2, 0], [2, T - 2, F]);
    const restOut = stepped.apply(rest) as tf.Tensor;
    const expected = tf.slice(wholeOut, [0, 2, 0], [2, T - 2, 5]);
    expectClose(restOut, expected, 1e-6);
    // Stepping again after the whole-sequence call starts from its final state.
    stepped.resetStates();
    const first = stepOf(x, 0);
    const again = stepped.apply(first) as tf.Tensor;
    const states = stepped.states!.map((s) => s.clone());
    const second = stepOf(x, 1);
    tf.dispose(stepped.apply(second) as tf.Tensor);
    // resetStates(values) replaces the stepped states: stepping from the saved states repeats the step.
    stepped.resetStates(states);
    const repeated = stepped.apply(second) as tf.Tensor;
    const expectedSecond = tf.slice(wholeOut, [0, 1, 0], [2, 1, 5]);
    expectClose(repeated, expectedSecond, 1e-6);
    tf.dispose([x, wholeOut, rest, restOut, expected, first, again, second, repeated, expectedSecond, ...states]);
    whole.dispose();
    stepped.dispose();
  });

  test('many-to-one output, and the cases the one-step path leaves to the op give the same numbers', () => {
    const x = randn([2, 1, F], 7);
    const a = new LSTM({ units: 4, stateful: true, batchInputShape: [2, 1, F], dropout: 0.5, seed: 1 });
    const b = new LSTM({ units: 4, stateful: true, batchInputShape: [2, 1, F], dropout: 0.5, seed: 1 });
    tf.dispose([a.apply(x), b.apply(x)] as tf.Tensor[]);
    copyWeights(a, b);
    a.resetStates();
    b.resetStates();
    const stepped = a.apply(x) as tf.Tensor;
    expect(stepped.shape).toEqual([2, 4]);
    // With a gradient tape on, the op runs (the one-step entry has no gradient).
    const dx = tf.grad((input: tf.Tensor) => tf.sum(b.apply(input) as tf.Tensor))(x);
    expect(b.lastCallFused).toBe(true);
    expectClose(stepped, b.states![0], 0);
    expectClose(a.states![1], b.states![1], 0);
    // Writing into the output's data (a sampler rescaling scores in place) leaves the carried state alone.
    (stepped.dataSync() as Float32Array).fill(42);
    expectClose(a.states![0], b.states![0], 0);
    // Training with dropout draws masks and runs the op: the states then differ from an inference step.
    const trained = a.apply(x, { training: true }) as tf.Tensor;
    expect(a.lastCallFused).toBe(true);
    tf.dispose([dx, stepped, trained, x]);
    a.dispose();
    b.dispose();
  });

  test('a stateful model\'s predict per step, float32 and int32 data, equals the whole sequence; the tensor count stays flat', () => {
    const whole = new Sequential({ layers: [new LSTM({ units: 4, returnSequences: true, inputShape: [T, F] })] });
    const stepped = new Sequential({ layers: [new LSTM({ units: 4, stateful: true, batchInputShape: [2, 1, F] })] });
    const x = tf.tidy(() => tf.round(tf.mul(randn([2, T, F], 3), 3)));
    const xInt = tf.cast(x, 'int32');
    tf.dispose(stepped.predict(stepOf(x, 0)));
    stepped.setWeights(whole.getWeights());
    const expected = whole.predict(x) as tf.Tensor;
    for (const data of [x, xInt]) {
      stepped.resetStates();
      const before = tf.memory().numTensors;
      for (let t = 0; t < T; t++) {
        const xt = stepOf(data, t);
        const y = stepped.predict(xt) as tf.Tensor;
        const want = tf.tidy(() => tf.slice(expected, [0, t, 0], [2, 1, 4]).reshape([2, 4]));
        expectClose(y, want, 1e-6);
        tf.dispose([xt, y, want]);
      }
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose([x, xInt, expected]);
    whole.dispose();
    stepped.dispose();
  });
});
