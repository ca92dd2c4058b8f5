import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import type { SymbolicTensor } from '../../engine/symbolic';
import { model } from '../../models/model';
import { Sequential } from '../../models/sequential';
import { Embedding } from '../core/embedding';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm_cell';
import { runLayerTest } from '../../testing';
import { GRUCell } from './gru_cell';
import { RNN } from './rnn';
import { SimpleRNN } from './simple_rnn';
import { CELL_WEIGHT_NAMES_DIFFER_IN_TFJS, copyWeights, expectClose, expectNoLeak, maskOf, randn } from './__tests__/helpers';
import { MinimalGatedCell, PeepholeCell } from './__tests__/custom_cells';

beforeEach(() => resetNameCounters());

type LayerArgs = Record<string, unknown>;
const BUILT_INS: { name: string; make: (a: LayerArgs) => RNN }[] = [
  { name: 'SimpleRNN', make: (a) => new SimpleRNN({ units: 3, ...a }) },
  { name: 'LSTM', make: (a) => new LSTM({ units: 3, ...a }) },
  { name: 'GRU', make: (a) => new GRU({ units: 3, ...a }) },
];

/** Two layers of the same kind with the same weights. */
function twins(make: (a: LayerArgs) => RNN, a: LayerArgs, b: LayerArgs, x: tf.Tensor): [RNN, RNN] {
  const first = make(a);
  const second = make(b);
  tf.dispose([first.apply(x), second.apply(x)] as tf.Tensor[]);
  copyWeights(first, second);
  if (first.stateful) first.resetStates();
  if (second.stateful) second.resetStates();
  return [first, second];
}

/**
 * A toy task for training cells: predict the mean of a sequence of numbers. Trains `layer` plus a
 * linear readout with a hand-written Adam loop and returns the first and last losses.
 */
function trainOnMeans(layer: RNN, steps: number): { first: number; last: number } {
  const x = tf.randomUniform([32, 6, 1], -1, 1, 'float32', 3);
  const y = tf.mean(x, 1);
  tf.dispose(layer.apply(x) as tf.Tensor);
  const units = layer.stateSize[0];
  const readout = tf.variable(tf.randomNormal([units, 1], 0, 0.1, 'float32', 4));
  const readoutBias = tf.variable(tf.zeros([1]));
  const optimizer = tf.train.adam(0.03);
  const variables = [...layer.trainableWeights.map((w) => w.val), readout, readoutBias];
  const loss = (): tf.Scalar => tf.losses.meanSquaredError(y, tf.add(tf.matMul(layer.apply(x) as tf.Tensor, readout), readoutBias)) as tf.Scalar;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const value = optimizer.minimize(loss, true, variables) as tf.Scalar;
    losses.push(value.dataSync()[0]);
    value.dispose();
  }
  tf.dispose([x, y, readout, readoutBias]);
  optimizer.dispose();
  return { first: losses[0], last: losses[losses.length - 1] };
}

describe('RNN with built-in cells', () => {
  test('passes the shared layer test with one cell and with a stack of cells', () => {
    const x = randn([2, 5, 3], 1);
    const mask = maskOf([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    runLayerTest({
      make: () => new RNN({ cell: new LSTMCell({ units: 3 }), returnSequences: true }), input: x, expectedOutputShape: [2, 5, 3],
      expectedWeights: ['lstm_cell/kernel', 'lstm_cell/recurrent_kernel', 'lstm_cell/bias'], supportsMasking: true,
      mask: { input: mask, expected: 'input' }, tfjsInterop: CELL_WEIGHT_NAMES_DIFFER_IN_TFJS,
    });
    runLayerTest({
      make: () => new RNN({ cell: [new LSTMCell({ units: 3 }), new GRUCell({ units: 2, resetAfter: false })], returnState: true }),
      input: x, expectedOutputShape: [[2, 2], [2, 3], [2, 3], [2, 2]], mask: { input: mask, expected: [null, null, null, null] },
      tfjsInterop: CELL_WEIGHT_NAMES_DIFFER_IN_TFJS,
    });
  });

  test('RNN(LSTMCell) computes what LSTM computes (fused), and its config nests the cell', () => {
    const x = randn([2, 5, 3], 1);
    const generic = new RNN({ cell: new LSTMCell({ units: 4 }), returnSequences: true });
    const layer = new LSTM({ units: 4, returnSequences: true });
    tf.dispose([generic.apply(x), layer.apply(x)] as tf.Tensor[]);
    copyWeights(layer, generic);
    expectClose(generic.apply(x) as tf.Tensor, layer.apply(x) as tf.Tensor, 1e-6);
    expect(generic.lastCallFused).toBe(true);
    expect(generic.weights.map((w) => w.name)).toEqual(['lstm_cell/kernel', 'lstm_cell/recurrent_kernel', 'lstm_cell/bias']);
    const config = generic.getConfig();
    expect(config.cell).toMatchObject({ className: 'LSTMCell', config: { units: 4, name: 'lstm_cell' } });
    const copy = RNN.fromConfig(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
    expect(copy.cell).toBeInstanceOf(LSTMCell);
  });
});

describe('RNN with user-written cells', () => {
  test('a registered user cell passes the shared layer test (configs, saving and loading included)', () => {
    runLayerTest({
      make: () => new RNN({ cell: new MinimalGatedCell({ units: 3, name: 'mgu' }), returnSequences: true, goBackwards: true }),
      input: randn([2, 4, 2], 2),
      expectedOutputShape: [2, 4, 3],
      expectedWeights: ['forget_kernel', 'forget_recurrent_kernel', 'forget_bias', 'kernel', 'recurrent_kernel', 'bias'].map((w) => `mgu/${w}`),
      mask: { input: maskOf([[1, 1, 0, 0], [1, 1, 1, 0]]), expected: 'input' },
      tfjsInterop: { skip: 'a user cell: TensorFlow.js has no MinimalGatedCell class' },
    });
  });

  test('a user cell (minimal gated unit) builds weights the layer lists, counts and trains', () => {
    const layer = new RNN({ cell: new MinimalGatedCell({ units: 8, name: 'mgu' }) });
    const { first, last } = trainOnMeans(layer, 60);
    expect(layer.weights.map((w) => w.name)).toEqual([
      'mgu/forget_kernel', 'mgu/forget_recurrent_kernel', 'mgu/forget_bias', 'mgu/kernel', 'mgu/recurrent_kernel', 'mgu/bias',
    ]);
    expect(layer.countParams()).toBe(2 * (1 * 8 + 8 * 8 + 8));
    expect(layer.lastCallFused).toBe(false);
    expect(last).toBeLessThan(0.25 * first);
  });

  test('a user cell with two states and weights of its own (peephole LSTM) exposes them as weights and trains', () => {
    const cell = new PeepholeCell(6);
    const layer = new RNN({ cell, name: 'peephole' });
    const { first, last } = trainOnMeans(layer, 60);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[1, 24], [6, 24], [24], [3, 6]]);
    expect(layer.trainableWeights[0]).toBe(cell.kernel);
    expect(last).toBeLessThan(0.25 * first);
    // setWeights reaches the cell's own weights.
    const zeros = layer.weights.map((w) => tf.zeros(w.shape));
    layer.setWeights(zeros);
    expect(tf.sum(tf.abs(cell.recurrentKernel!.read())).dataSync()[0]).toBe(0);
  });

  test('user cells get masks, goBackwards, initial states and returnState from the loop', () => {
    const layer = new RNN({ cell: new MinimalGatedCell({ units: 2 }), returnSequences: true, returnState: true, goBackwards: true });
    const x = randn([2, 4, 3], 5);
    const mask = maskOf([[1, 1, 0, 0], [1, 1, 1, 1]]);
    const h0 = randn([2, 2], 6);
    const [seq, h] = layer.apply(x, { mask, initialState: [h0] }) as tf.Tensor[];
    expect(seq.shape).toEqual([2, 4, 2]);
    // Processing backwards, row 0's first two processed steps (t = 3, 2) are masked: zeros, state kept.
    expect(Array.from(tf.slice(seq, [0, 0, 0], [1, 2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(h.shape).toEqual([2, 2]);
    expect(layer.computeOutputShape([null, 4, 3])).toEqual([[null, 4, 2], [null, 2]]);
  });

  test('something that is not a cell, a bad stateSize or a bad step answer is rejected with a clear error', () => {
    expect(() => new RNN({ cell: { stateSize: 3, step: () => [] } as never })).toThrow(/expected a recurrent cell \(a subclass of RNNCell/);
    expect(() => new RNN({ cell: new Embedding({ inputDim: 3, outputDim: 2 }) as never })).toThrow(/got Embedding 'embedding'/);
    expect(() => new RNN({ cell: new PeepholeCell(0) })).toThrow(/stateSize must be a positive integer/);
    class BadStep extends MinimalGatedCell {
      override step(x: tf.Tensor): [tf.Tensor, tf.Tensor[]] {
        return x as never;
      }
    }
    expect(() => new RNN({ cell: new BadStep({ units: 2 }) }).apply(tf.ones([1, 2, 2]))).toThrow(/step must return \[output, newStates\]/);
    class ExtraState extends MinimalGatedCell {
      override step(x: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
        const [output, [h]] = super.step(x, states);
        return [output, [h, h]];
      }
    }
    expect(() => new RNN({ cell: new ExtraState({ units: 2 }) }).apply(tf.ones([1, 2, 2]))).toThrow(/step returned 2 state\(s\) but stateSize declares 1/);
    expect(() => new RNN({ cell: new PeepholeCell(2) }).getConfig()).toThrow(/serializing this cell is not supported/);
  });
});

describe.each(BUILT_INS)('$name: stateful', ({ make }) => {
  test('states carry over between calls, and resetStates() / resetStates(states) restart them', () => {
    const x = randn([2, 6, 4], 7);
    const [first, second] = [tf.slice(x, [0, 0, 0], [2, 3, 4]), tf.slice(x, [0, 3, 0], [2, 3, 4])];
    const [stateful, plain] = twins(make, { stateful: true, batchInputShape: [2, 3, 4] }, { returnState: true }, first);
    const [whole, ...wholeStates] = plain.apply(x) as tf.Tensor[];
    const a = stateful.apply(first) as tf.Tensor;
    const b = stateful.apply(second) as tf.Tensor;
    expectClose(b, whole, 1e-5);
    expectClose(stateful.states!, wholeStates, 1e-5);
    expect(stateful.weights).toHaveLength(3); // the state holders are not weights (Keras)

    stateful.resetStates();
    expectClose(stateful.apply(first) as tf.Tensor, a, 1e-6);

    const given = stateful.stateSize.map((s, i) => randn([2, s], 20 + i));
    stateful.resetStates(given);
    const [expected] = plain.apply(first, { initialState: given }) as tf.Tensor[];
    expectClose(stateful.apply(first) as tf.Tensor, expected, 1e-5);
  });

  test('stateful errors: dynamic batch, another batch size, resetStates on a non-stateful layer', () => {
    const layer = make({ stateful: true });
    expect(() => layer.apply(input({ shape: [3, 4] }))).toThrow(/stateful RNN needs a fixed batch size/);
    const fixed = make({ stateful: true });
    tf.dispose(fixed.apply(tf.ones([2, 3, 4])) as tf.Tensor);
    expect(() => fixed.apply(tf.ones([3, 3, 4]))).toThrow(/stateful with batch size 2, got a batch of 3/);
    expect(() => fixed.resetStates([tf.ones([3, 3])])).toThrow(/resetStates/);
    expect(() => make({}).resetStates()).toThrow(/needs a stateful layer/);
  });

  test('stateful calls leak no tensors', () => {
    const layer = make({ stateful: true });
    const x = randn([2, 3, 4], 8);
    expectNoLeak(() => layer.apply(x) as tf.Tensor);
    expectNoLeak(() => layer.resetStates());
  });
});

describe('stateful layers in a model', () => {
  test('a Sequential with a stateful LSTM carries states across predict calls until resetStates()', () => {
    const m = new Sequential({ layers: [new LSTM({ units: 3, stateful: true, batchInputShape: [2, 4, 2] })] });
    expect(m.stateful).toBe(true);
    const x = randn([2, 4, 2], 15);
    const first = m.predict(x) as tf.Tensor;
    const second = m.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(first, second))).dataSync()[0]).toBeGreaterThan(1e-5);
    m.resetStates();
    expectClose(m.predict(x) as tf.Tensor, first, 1e-6);
  });
});

describe.each(BUILT_INS)('$name: goBackwards and masks', ({ make }) => {
  test('goBackwards equals the forward layer on the reversed sequence, outputs in processing order', () => {
    const x = randn([2, 5, 4], 9);
    const mask = maskOf([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]]);
    const [backwards, forwards] = twins(make, { goBackwards: true, returnSequences: true }, { returnSequences: true }, x);
    expectClose(backwards.apply(x) as tf.Tensor, forwards.apply(tf.reverse(x, 1)) as tf.Tensor, 1e-6);
    expectClose(backwards.apply(x, { mask }) as tf.Tensor, forwards.apply(tf.reverse(x, 1), { mask: tf.reverse(mask, 1) }) as tf.Tensor, 1e-6);
  });

  test('a sequence padded at the end gives the same last output as the unpadded one (Embedding maskZero)', () => {
    const tokens = input({ shape: [null] });
    const embedding = new Embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const first = make({ returnSequences: true });
    const second = make({});
    const embedded = embedding.apply(tokens) as SymbolicTensor;
    const m = model({ inputs: tokens, outputs: second.apply(first.apply(embedded) as SymbolicTensor) as SymbolicTensor });
    const paddedTokens = tf.tensor2d([[3, 1, 4, 1, 0, 0, 0]]);
    const padded = m.predict(paddedTokens) as tf.Tensor;
    const unpadded = m.predict(tf.tensor2d([[3, 1, 4, 1]])) as tf.Tensor;
    expectClose(padded, unpadded, 1e-6);
    // Without the mask the padding would change the result: the masks did reach both layers.
    const ignoringMask = second.apply(first.apply(embedding.apply(paddedTokens) as tf.Tensor) as tf.Tensor) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(ignoringMask, padded))).dataSync()[0]).toBeGreaterThan(1e-4);
  });

  test('computeMask passes the input mask on only with returnSequences; state outputs carry none', () => {
    const mask = maskOf([[1, 0]]);
    expect(make({ returnSequences: true }).computeMask(tf.ones([1, 2, 1]), mask)).toBe(mask);
    expect(make({}).computeMask(tf.ones([1, 2, 1]), mask)).toBeNull();
    const withState = make({ returnSequences: true, returnState: true });
    const masks = withState.computeMask(tf.ones([1, 2, 1]), [mask, null as unknown as tf.Tensor]) as (tf.Tensor | null)[];
    expect(masks[0]).toBe(mask);
    expect(masks.slice(1).every((m) => m === null)).toBe(true);
    expect(masks).toHaveLength(1 + withState.stateSize.length);
  });
});

describe.each(BUILT_INS)('$name: dropout', ({ make }) => {
  test('dropout acts only in training, and is reproducible with a seed', () => {
    const x = randn([3, 5, 4], 11);
    const [a, b] = twins(make, { dropout: 0.4, recurrentDropout: 0.3, seed: 5 }, { dropout: 0.4, recurrentDropout: 0.3, seed: 5 }, x);
    const [plain] = twins(make, {}, {}, x);
    copyWeights(a, plain);
    expectClose(a.apply(x) as tf.Tensor, plain.apply(x) as tf.Tensor, 1e-6);
    const trainA = a.apply(x, { training: true }) as tf.Tensor;
    const trainB = b.apply(x, { training: true }) as tf.Tensor;
    expectClose(trainA, trainB, 0);
    expect(tf.max(tf.abs(tf.sub(trainA, plain.apply(x) as tf.Tensor))).dataSync()[0]).toBeGreaterThan(1e-4);
    const again = a.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(trainA, again))).dataSync()[0]).toBeGreaterThan(1e-4);
  });
});

describe('dropout masks are fixed across timesteps', () => {
  test.each([true, false])('useFused %s: a linear identity SimpleRNN shows the same input mask at every step', (fused) => {
    const layer = new SimpleRNN({ units: 6, activation: 'linear', dropout: 0.5, seed: 1, returnSequences: true, useFused: fused ? 'auto' : false });
    layer.build([null, 4, 6]);
    layer.setWeights([tf.eye(6), tf.zeros([6, 6]), tf.zeros([6])]);
    const out = layer.apply(tf.ones([2, 4, 6]), { training: true }) as tf.Tensor;
    const steps = tf.unstack(out, 1).map((t) => Array.from(t.dataSync()));
    for (const s of steps) expect(s).toEqual(steps[0]);
    expect(steps[0].every((v) => v === 0 || Math.abs(v - 2) < 1e-6)).toBe(true);
    expect(steps[0].some((v) => v === 0)).toBe(true);
  });
});

describe('initial states', () => {
  test('initialState must match the state sizes', () => {
    const layer = new LSTM({ units: 3 });
    const x = tf.ones([2, 4, 2]);
    expect(() => layer.apply(x, { initialState: [tf.zeros([2, 3])] })).toThrow(/initialState must hold 2 tensor/);
    expect(() => layer.apply(x, { initialState: [tf.zeros([2, 3]), tf.zeros([2, 4])] })).toThrow(/initialState\[1\] must have shape \[2, 3\]/);
  });

  test('the initial states change the result and receive gradients', () => {
    const layer = new GRU({ units: 3 });
    const x = randn([2, 4, 2], 12);
    const h0 = randn([2, 3], 13);
    const zero = layer.apply(x) as tf.Tensor;
    const given = layer.apply(x, { initialState: [h0] }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(zero, given))).dataSync()[0]).toBeGreaterThan(1e-4);
    const g = tf.grad((h: tf.Tensor) => tf.sum(layer.apply(x, { initialState: [h] }) as tf.Tensor))(h0);
    expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
  });
});

describe('leaks', () => {
  test('generic loop with a user cell: forward and gradients leak nothing', () => {
    const layer = new RNN({ cell: new MinimalGatedCell({ units: 3 }), returnSequences: true });
    const x = randn([2, 4, 2], 14);
    const mask = maskOf([[1, 1, 0, 1], [1, 0, 1, 1]]);
    expectNoLeak(() => layer.apply(x, { mask }) as tf.Tensor);
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { mask }) as tf.Tensor) as tf.Scalar,
        layer.trainableWeights.map((w) => w.val));
      return [value, ...Object.values(grads)];
    });
  });
});
