import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import type { SymbolicTensor } from '../../engine/symbolic';
import { model } from '../../models/model';
import { Embedding } from '../core/embedding';
import { GRU } from '../rnn/gru';
import { LSTM } from '../rnn/lstm';
import type { RNN } from '../rnn/rnn';
import { SimpleRNN } from '../rnn/simple_rnn';
import { expectClose, expectNoLeak, maskOf, randn } from '../rnn/__tests__/helpers';
import { runLayerTest } from '../../testing';
import { Bidirectional, type MergeMode } from './bidirectional';

beforeEach(() => resetNameCounters());

function built(layer: Bidirectional, shape: (number | null)[]): Bidirectional {
  layer.build(shape);
  layer.built = true;
  return layer;
}

/** The forward and backward directions recomputed by hand with plain layers holding the same weights. */
function byHand(bi: Bidirectional, make: (a: Record<string, unknown>) => RNN, x: tf.Tensor, mask: tf.Tensor | null, returnSequences: boolean) {
  const forward = make({ returnSequences, returnState: true, zeroOutputForMask: returnSequences });
  const backward = make({ returnSequences, returnState: true, goBackwards: true, zeroOutputForMask: returnSequences });
  tf.dispose([forward.apply(x), backward.apply(x)] as tf.Tensor[][]);
  const values = bi.getWeights();
  forward.setWeights(values.slice(0, values.length / 2));
  backward.setWeights(values.slice(values.length / 2));
  const [y, ...fStates] = forward.apply(x, { mask }) as tf.Tensor[];
  const [yb, ...bStates] = backward.apply(x, { mask }) as tf.Tensor[];
  return { y, yRev: returnSequences ? tf.reverse(yb, 1) : yb, fStates, bStates };
}

describe('Bidirectional', () => {
  const stepMask = () => maskOf([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
  const lstmWeights = ['kernel', 'recurrent_kernel', 'bias'];

  test('passes the shared layer test: sequences merged, the last output, states', () => {
    runLayerTest({
      make: () => new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }),
      input: randn([2, 5, 4], 1),
      expectedOutputShape: [2, 5, 6],
      expectedWeights: [...lstmWeights.map((w) => `forward_lstm/${w}`), ...lstmWeights.map((w) => `backward_lstm/${w}`)],
      supportsMasking: true,
      mask: { input: stepMask(), expected: 'input' },
    });
    runLayerTest({
      make: () => new Bidirectional({ layer: new SimpleRNN({ units: 2, name: 'rnn' }), mergeMode: 'sum' }),
      input: randn([2, 5, 4], 2),
      expectedOutputShape: [2, 2],
      expectedWeights: [...lstmWeights.map((w) => `forward_rnn/${w}`), ...lstmWeights.map((w) => `backward_rnn/${w}`)],
      mask: { input: stepMask(), expected: null },
    });
    runLayerTest({
      make: () => new Bidirectional({ layer: new GRU({ units: 2, returnState: true }), mergeMode: null }),
      input: randn([2, 5, 4], 3),
      expectedOutputShape: [[2, 2], [2, 2], [2, 2], [2, 2]],
      unsupportedDialects: { tfjs: /reset_after/ },
      mask: { input: stepMask(), expected: [null, null, null, null] },
    });
  });

  test('parameter counts double the wrapped layer', () => {
    expect(built(new Bidirectional({ layer: new LSTM({ units: 64 }) }), [null, 10, 100]).countParams()).toBe(2 * 42240);
    expect(built(new Bidirectional({ layer: new GRU({ units: 64 }) }), [null, 10, 100]).countParams()).toBe(2 * 31872);
    expect(built(new Bidirectional({ layer: new SimpleRNN({ units: 128 }) }), [null, 10, 60]).countParams()).toBe(2 * 24192);
  });

  test('weights forward then backward, named <bidirectional>/forward_<layer>/kernel', () => {
    const bi = built(new Bidirectional({ layer: new LSTM({ units: 2 }) }), [null, 3, 4]);
    expect(bi.weights.map((w) => w.name)).toEqual([
      'bidirectional/forward_lstm/kernel', 'bidirectional/forward_lstm/recurrent_kernel', 'bidirectional/forward_lstm/bias',
      'bidirectional/backward_lstm/kernel', 'bidirectional/backward_lstm/recurrent_kernel', 'bidirectional/backward_lstm/bias',
    ]);
    expect(bi.forwardLayer.name).toBe('forward_lstm');
    expect(bi.backwardLayer.goBackwards).toBe(true);
  });

  const modes: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];
  describe.each([true, false])('returnSequences %s', (returnSequences) => {
    test.each(modes)('merge mode %s', (mergeMode) => {
      const x = randn([2, 5, 3], 1);
      const mask = maskOf([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
      const make = (a: Record<string, unknown>) => new GRU({ units: 2, ...a });
      const bi = new Bidirectional({ layer: make({ returnSequences }), mergeMode });
      const out = bi.apply(x, { mask }) as tf.Tensor | tf.Tensor[];
      const { y, yRev } = byHand(bi, make, x, mask, returnSequences);
      const expected = {
        concat: () => tf.concat([y, yRev], -1), sum: () => tf.add(y, yRev), mul: () => tf.mul(y, yRev),
        ave: () => tf.div(tf.add(y, yRev), 2), none: () => [y, yRev],
      }[mergeMode ?? 'none']();
      expectClose(out, expected, 1e-6);
      const shape = bi.computeOutputShape([null, 5, 3]);
      const outShapes = (Array.isArray(out) ? out : [out]).map((t) => [null, ...t.shape.slice(1)]);
      expect(mergeMode === null ? shape : [shape]).toEqual(outShapes);
      expect(bi.forwardLayer.zeroOutputForMask).toBe(returnSequences);
      expect(bi.backwardLayer.zeroOutputForMask).toBe(returnSequences);
    });
  });

  test('with returnSequences, masked positions are zero in both directions (Keras forces zeroOutputForMask)', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) });
    const out = bi.apply(randn([2, 4, 2], 2), { mask: maskOf([[1, 1, 0, 0], [1, 1, 1, 1]]) }) as tf.Tensor;
    expect(Array.from(tf.slice(out, [0, 2, 0], [1, 2, 6]).dataSync()).every((v) => v === 0)).toBe(true);
    expect(bi.computeMask(tf.ones([1]), maskOf([[1, 0]]))).not.toBeNull();
  });

  test('returnState gives [merged, ...forward states, ...backward states]; initialState is split in halves', () => {
    const x = randn([2, 4, 3], 3);
    const make = (a: Record<string, unknown>) => new LSTM({ units: 2, ...a });
    const bi = new Bidirectional({ layer: make({ returnState: true }), mergeMode: 'sum' });
    tf.dispose(bi.apply(x) as tf.Tensor[]);
    const states = [0, 1, 2, 3].map((i) => randn([2, 2], 30 + i));
    const out = bi.apply(x, { initialState: states }) as tf.Tensor[];
    expect(out).toHaveLength(5);
    const forward = make({ returnState: true });
    const backward = make({ returnState: true, goBackwards: true });
    tf.dispose([forward.apply(x), backward.apply(x)] as tf.Tensor[][]);
    const values = bi.getWeights();
    forward.setWeights(values.slice(0, 3));
    backward.setWeights(values.slice(3));
    const [y, fh, fc] = forward.apply(x, { initialState: states.slice(0, 2) }) as tf.Tensor[];
    const [yb, bh, bc] = backward.apply(x, { initialState: states.slice(2) }) as tf.Tensor[];
    expectClose(out, [tf.add(y, yb), fh, fc, bh, bc], 1e-6);
    expect(bi.computeOutputShape([null, 4, 3])).toEqual([[null, 2], [null, 2], [null, 2], [null, 2], [null, 2]]);
    expect(() => bi.apply(x, { initialState: states.slice(0, 3) })).toThrow(/an even count/);
  });

  test('a padded sequence gives the same result as the unpadded one, through two stacked Bidirectional layers', () => {
    const tokens = input({ shape: [null] });
    const embedded = new Embedding({ inputDim: 8, outputDim: 3, maskZero: true }).apply(tokens) as SymbolicTensor;
    const lower = new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) }).apply(embedded) as SymbolicTensor;
    const upper = new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'ave' }).apply(lower) as SymbolicTensor;
    const m = model({ inputs: tokens, outputs: upper });
    expect(upper.shape).toEqual([null, 2]);
    expectClose(m.predict(tf.tensor2d([[5, 2, 7, 0, 0]])) as tf.Tensor, m.predict(tf.tensor2d([[5, 2, 7]])) as tf.Tensor, 1e-6);
  });

  test('a custom backward layer is used as given; it must go backwards', () => {
    const backward = new LSTM({ units: 3, activation: 'relu', goBackwards: true, name: 'my_backward' });
    const bi = built(new Bidirectional({ layer: new LSTM({ units: 3 }), backwardLayer: backward }), [null, 4, 2]);
    expect(bi.backwardLayer).toBe(backward);
    expect(bi.weights[3].name).toBe('bidirectional/my_backward/kernel');
    expect(() => new Bidirectional({ layer: new LSTM({ units: 3 }), backwardLayer: new LSTM({ units: 3 }) })).toThrow(/backwardLayer must have goBackwards: true/);
    expect(() => new Bidirectional({ layer: new LSTM({ units: 3, goBackwards: true }) })).toThrow(/different goBackwards/);
    expect(() => new Bidirectional({ layer: new LSTM({ units: 3 }), backwardLayer: new LSTM({ units: 3, goBackwards: true, returnSequences: true }) }))
      .toThrow(/same returnSequences/);
    expect(() => new Bidirectional({ layer: new LSTM({ units: 3 }), mergeMode: 'max' as never })).toThrow(/mergeMode/);
  });

  test('getConfig nests both layers as {className, config}; fromConfig rebuilds the same wrapper and weight names', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), mergeMode: 'mul' });
    const config = bi.getConfig();
    expect(config).toMatchObject({
      mergeMode: 'mul',
      layer: { className: 'LSTM', config: { name: 'forward_lstm', zeroOutputForMask: true, goBackwards: false } },
      backwardLayer: { className: 'LSTM', config: { name: 'backward_lstm', goBackwards: true } },
    });
    const copy = built(Bidirectional.fromConfig(JSON.parse(JSON.stringify(config))), [null, 2, 4]);
    expect(copy.getConfig()).toEqual(config);
    expect(copy.weights.map((w) => w.name)).toEqual(built(bi, [null, 2, 4]).weights.map((w) => w.name));
  });

  test('an inputShape on the wrapped layer becomes the wrapper\'s input shape', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 3, inputShape: [5, 2] }) });
    expect(bi.batchInputShape).toEqual([null, 5, 2]);
    expect(bi.forwardLayer.batchInputShape).toBeNull();
  });

  test('stateful: both directions carry their states and reset together', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2, stateful: true }) });
    const x = randn([2, 3, 2], 4);
    const a = bi.apply(x) as tf.Tensor;
    const b = bi.apply(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-5);
    bi.resetStates();
    expectClose(bi.apply(x) as tf.Tensor, a, 1e-6);
    expect(() => new Bidirectional({ layer: new GRU({ units: 2 }) }).resetStates()).toThrow(/stateful/);
  });

  test('both directions run on the fused kernel; no tensors leak, forward or backward', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true, returnState: true }) });
    const x = randn([2, 4, 3], 5);
    const mask = maskOf([[1, 1, 1, 0], [1, 1, 1, 1]]);
    expectNoLeak(() => bi.apply(x, { mask }) as tf.Tensor[]);
    expect(bi.forwardLayer.lastCallFused && bi.backwardLayer.lastCallFused).toBe(true);
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum((bi.apply(x, { mask }) as tf.Tensor[])[0]) as tf.Scalar);
      return [value, ...Object.values(grads)];
    });
  });
});
