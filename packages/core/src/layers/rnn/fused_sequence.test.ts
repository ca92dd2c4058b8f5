import * as tf from '@tensorflow/tfjs';
import { info, setImplementation } from '@recurrent/kernels';
import { resetNameCounters } from '../../engine/names';
import { GRU } from './gru';
import { LSTM } from './lstm';
import type { RNN } from './rnn';
import { RNNCell } from './rnn_cell';
import { SimpleRNN } from './simple_rnn';
import { copyWeights, disposeRun, expectClose, maskOf, randn, runWithGrads } from './__tests__/helpers';

/**
 * The fused kernel and the step-by-step cell loop must compute the same function: same outputs,
 * same gradients wrt the input, the initial states and every weight, for every cell and option.
 */

beforeEach(() => resetNameCounters());

type Args = Record<string, unknown>;
const LAYERS: { name: string; gated: boolean; make: (a: Args) => RNN }[] = [
  { name: 'SimpleRNN', gated: false, make: (a) => new SimpleRNN({ units: 3, ...a }) },
  { name: 'LSTM', gated: true, make: (a) => new LSTM({ units: 3, ...a }) },
  { name: 'GRU (resetAfter)', gated: true, make: (a) => new GRU({ units: 3, ...a }) },
  { name: 'GRU (resetAfter=false)', gated: true, make: (a) => new GRU({ units: 3, resetAfter: false, ...a }) },
];

// Row 0 has gaps, row 1 leading masked steps, row 2 is masked everywhere.
const MASK = [[1, 0, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 0, 0, 0]];

interface Case {
  label: string;
  args: Args;
  gatedArgs?: Args;
  mask?: boolean;
  initialState?: boolean;
  training?: boolean;
}

const CASES: Case[] = [
  { label: 'full sequences', args: { returnSequences: true } },
  { label: 'last output with returnState', args: { returnState: true } },
  { label: 'mask with gaps, leading steps and a fully masked row', args: { returnSequences: true, returnState: true }, mask: true },
  { label: 'mask with zeroOutputForMask', args: { returnSequences: true, zeroOutputForMask: true }, mask: true },
  { label: 'goBackwards with a mask', args: { returnSequences: true, goBackwards: true, returnState: true }, mask: true },
  { label: 'given initial states and a mask', args: { returnSequences: true }, initialState: true, mask: true },
  { label: 'no bias', args: { useBias: false, returnSequences: true } },
  { label: 'relu activation, hard_sigmoid gates', args: { activation: 'relu', returnSequences: true }, gatedArgs: { recurrentActivation: 'hard_sigmoid' } },
  { label: 'linear activation, legacy hard sigmoid gates', args: { activation: null }, gatedArgs: { recurrentActivation: 'hard_sigmoid_legacy' } },
  { label: 'dropout and recurrentDropout in training (seeded)', args: { dropout: 0.3, recurrentDropout: 0.4, seed: 17, returnSequences: true }, training: true },
];

// The fused kernel has a native and a TypeScript implementation; both must match the step loop.
const IMPLEMENTATIONS = info().nativeError === null ? (['native', 'typescript'] as const) : (['typescript'] as const);
const LAYER_CASES = IMPLEMENTATIONS.flatMap((implementation) => LAYERS.map((l) => ({ ...l, implementation })));

describe.each(LAYER_CASES)('$name, $implementation kernel: fused kernel vs step loop', ({ gated, make, implementation }) => {
  const initial = info().implementation;
  beforeAll(() => setImplementation(implementation));
  afterAll(() => setImplementation(initial));

  test.each(CASES)('$label', (c) => {
    const args = { ...c.args, ...(gated ? c.gatedArgs : {}) };
    const fusedLayer = make({ ...args, useFused: 'auto' });
    const loopLayer = make({ ...args, useFused: false });
    const x = randn([3, 5, 4], 1);
    const mask = c.mask ? maskOf(MASK) : null;
    // Build both, then give them the same weights.
    tf.dispose(fusedLayer.apply(x) as tf.Tensor);
    tf.dispose(loopLayer.apply(x) as tf.Tensor);
    copyWeights(fusedLayer, loopLayer);
    const states = c.initialState ? fusedLayer.stateSize.map((s, i) => randn([3, s], 10 + i, 0.5)) : null;

    const fused = runWithGrads(fusedLayer, x, { mask, initialState: states, training: c.training });
    const loop = runWithGrads(loopLayer, x, { mask, initialState: states, training: c.training });
    expect(fused.fused).toBe(true);
    expect(loop.fused).toBe(false);
    expectClose(fused.outputs, loop.outputs, 1e-5);
    expectClose(fused.inputGrads, loop.inputGrads, 1e-4);
    expectClose(fused.weightGrads, loop.weightGrads, 1e-4);
    disposeRun(fused);
    disposeRun(loop);
    tf.dispose([x, mask, ...(states ?? [])].filter((t): t is tf.Tensor => t !== null));
    fusedLayer.dispose();
    loopLayer.dispose();
  });
});

describe('choosing the path', () => {
  test('an activation the kernel lacks falls back to the step loop; useFused: true then refuses', () => {
    const x = randn([2, 4, 3], 2);
    const layer = new LSTM({ units: 2, activation: 'softsign' });
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(layer.lastCallFused).toBe(false);
    const strict = new GRU({ units: 2, recurrentActivation: 'softsign', useFused: true });
    expect(() => strict.apply(x)).toThrow(/useFused is true but the fused kernel cannot run this layer: recurrentActivation "softsign"/);
    const custom = new SimpleRNN({ units: 2, activation: (t: tf.Tensor) => tf.tanh(t) });
    tf.dispose(custom.apply(x) as tf.Tensor);
    expect(custom.lastCallFused).toBe(false);
  });

  test('unroll is accepted and gives the same result', () => {
    const x = randn([2, 4, 3], 3);
    const a = new LSTM({ units: 2, unroll: true });
    const b = new LSTM({ units: 2 });
    tf.dispose([a.apply(x) as tf.Tensor, b.apply(x) as tf.Tensor]);
    copyWeights(a, b);
    expectClose(a.apply(x) as tf.Tensor, b.apply(x) as tf.Tensor, 0);
  });

  test('without initial states the fused kernel starts from zeros itself; a cell that redefines them keeps its own', () => {
    const x = randn([2, 4, 3], 4);
    const layer = new LSTM({ units: 2, returnState: true });
    tf.dispose(layer.apply(x) as tf.Tensor[]);
    const zeros = [tf.zeros([2, 2]), tf.zeros([2, 2])];
    const ones = [tf.ones([2, 2]), tf.ones([2, 2])];
    const makeStates = jest.spyOn(RNNCell.prototype, 'getInitialState');
    try {
      const implicit = layer.apply(x) as tf.Tensor[];
      expect(layer.lastCallFused).toBe(true);
      expect(makeStates).not.toHaveBeenCalled();
      const explicit = layer.apply(x, { initialState: zeros }) as tf.Tensor[];
      implicit.forEach((t, i) => expectClose(t, explicit[i], 0));
      tf.dispose([...implicit, ...explicit]);
    } finally {
      makeStates.mockRestore();
    }
    // An own getInitialState (here ones) is still what the sequence starts from.
    layer.cell.getInitialState = () => ones.map((t) => t.clone());
    const redefined = layer.apply(x) as tf.Tensor[];
    const given = layer.apply(x, { initialState: ones }) as tf.Tensor[];
    redefined.forEach((t, i) => expectClose(t, given[i], 0));
    tf.dispose([...redefined, ...given, ...zeros, ...ones, x]);
  });
});
