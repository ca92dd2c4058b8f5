import * as tf from '@tensorflow/tfjs';
import { addBackwardListener, type BackwardEvent } from '@recurrent/kernels';
import { resetNameCounters } from '../../engine/names';
import { runLayerTest } from '../../testing';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm_cell';
import { expectClose, expectNoLeak, maskOf, randn } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

describe('LSTM layer', () => {
  test('passes the shared layer test: last output, sequences with states and a mask, dropout in training, the step loop', () => {
    const x = randn([2, 5, 3], 1);
    const mask = maskOf([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    runLayerTest({
      make: () => new LSTM({ units: 3 }), input: x, expectedOutputShape: [2, 3], expectedWeights: ['kernel', 'recurrent_kernel', 'bias'],
      supportsMasking: true, mask: { input: mask, expected: null },
    });
    runLayerTest({
      make: () => new LSTM({ units: 2, returnSequences: true, returnState: true, zeroOutputForMask: true, kernelRegularizer: 'l2' }),
      input: x, expectedOutputShape: [[2, 5, 2], [2, 2], [2, 2]], mask: { input: mask, expected: ['input', null, null] },
      unsupportedDialects: { tfjs: /tfjs has no zero_output_for_mask/ },
    });
    runLayerTest({
      make: () => new LSTM({ units: 2, dropout: 0.3, recurrentDropout: 0.2, seed: 7, recurrentActivation: 'hard_sigmoid', unitForgetBias: false }),
      input: x, training: true, expectedOutputShape: [2, 2], unsupportedDialects: { tfjs: /hard_sigmoid/ },
      gradientCheck: { training: false }, // dropout draws new masks at every training call
    });
    runLayerTest({ make: () => new LSTM({ units: 2, useFused: false, goBackwards: true }), input: x, expectedOutputShape: [2, 2] });
  });

  test('LSTM(64) on 100 features has 42,240 parameters (Keras)', () => {
    const layer = new LSTM({ units: 64 });
    layer.build([null, 20, 100]);
    layer.built = true;
    expect(layer.countParams()).toBe(42240);
  });

  test('weights in Keras order and shapes, named <layer>/kernel, <layer>/recurrent_kernel, <layer>/bias', () => {
    const layer = new LSTM({ units: 3 });
    tf.dispose(layer.apply(tf.ones([1, 2, 5])) as tf.Tensor);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['lstm/kernel', [5, 12]], ['lstm/recurrent_kernel', [3, 12]], ['lstm/bias', [12]],
    ]);
    expect(new LSTM({ units: 2 }).name).toBe('lstm_1');
    expect(new LSTM({ units: 2, name: 'encoder' }).cell.name).toBe('encoder');
  });

  test('setWeights takes Keras arrays: the output follows the LSTM equations over the sequence', () => {
    const layer = new LSTM({ units: 1, returnSequences: true, returnState: true });
    tf.dispose(layer.apply(tf.zeros([1, 2, 1])) as tf.Tensor[]);
    const k = [0.5, -0.3, 0.8, 0.1];
    const r = [0.2, 0.4, -0.6, 0.9];
    const b = [0.1, 1.0, -0.2, 0.3];
    layer.setWeights([tf.tensor2d([k]), tf.tensor2d([r]), tf.tensor1d(b)]);
    const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
    let h = 0;
    let c = 0;
    const expected: number[] = [];
    for (const x of [0.7, -1.2]) {
      const z = k.map((kg, g) => x * kg + h * r[g] + b[g]);
      c = sigmoid(z[1]) * c + sigmoid(z[0]) * Math.tanh(z[2]);
      h = sigmoid(z[3]) * Math.tanh(c);
      expected.push(h);
    }
    const [seq, hOut, cOut] = layer.apply(tf.tensor3d([[[0.7], [-1.2]]])) as tf.Tensor[];
    expectClose(seq, tf.tensor3d([[[expected[0]], [expected[1]]]]), 1e-6);
    expect(hOut.dataSync()[0]).toBeCloseTo(h, 6);
    expect(cOut.dataSync()[0]).toBeCloseTo(c, 6);
    expect(() => layer.setWeights([tf.zeros([1, 4]), tf.zeros([1, 4]), tf.zeros([3])])).toThrow(/lstm\/bias expects shape \[4\]/);
  });

  test('output shapes: last output, sequences, and [output, h, c] with returnState', () => {
    const x = randn([2, 6, 3], 1);
    const last = new LSTM({ units: 4 });
    expect((last.apply(x) as tf.Tensor).shape).toEqual([2, 4]);
    const seq = new LSTM({ units: 4, returnSequences: true, returnState: true });
    const [out, h, c] = seq.apply(x) as tf.Tensor[];
    expect([out.shape, h.shape, c.shape]).toEqual([[2, 6, 4], [2, 4], [2, 4]]);
    expectClose(tf.squeeze(tf.slice(out, [0, 5, 0], [2, 1, 4]), [1]), h, 0);
    expect(seq.computeOutputShape([null, 6, 3])).toEqual([[null, 6, 4], [null, 4], [null, 4]]);
  });

  test('getConfig has every Keras LSTM key (with seed), and fromConfig rebuilds the same layer', () => {
    const layer = new LSTM({
      units: 8, activation: 'tanh', recurrentActivation: 'hard_sigmoid', unitForgetBias: false, dropout: 0.1,
      recurrentDropout: 0.2, seed: 4, returnSequences: true, goBackwards: true, kernelRegularizer: { className: 'L2', config: { l2: 0.001 } },
      recurrentConstraint: 'maxNorm', activityRegularizer: 'l1', zeroOutputForMask: true, implementation: 1,
    });
    const config = layer.getConfig();
    expect(Object.keys(config).sort()).toEqual([
      'activation', 'activityRegularizer', 'biasConstraint', 'biasInitializer', 'biasRegularizer', 'dropout', 'dtype', 'goBackwards',
      'kernelConstraint', 'kernelInitializer', 'kernelRegularizer', 'name', 'recurrentActivation', 'recurrentConstraint',
      'recurrentDropout', 'recurrentInitializer', 'recurrentRegularizer', 'returnSequences', 'returnState', 'seed', 'stateful',
      'trainable', 'unitForgetBias', 'units', 'unroll', 'useBias', 'zeroOutputForMask',
    ]);
    expect(config).toMatchObject({ units: 8, recurrentActivation: 'hard_sigmoid', unitForgetBias: false, seed: 4, zeroOutputForMask: true });
    const copy = LSTM.fromConfig(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
    expect(copy.cell).toBeInstanceOf(LSTMCell);
  });

  test('weight regularizers and the activity regularizer add losses', () => {
    const layer = new LSTM({ units: 2, kernelRegularizer: { className: 'L2', config: { l2: 0.5 } }, activityRegularizer: { className: 'L1', config: { l1: 0.1 } } });
    const x = randn([2, 3, 2], 5);
    const out = layer.apply(x, { training: true }) as tf.Tensor;
    const losses = layer.losses;
    expect(losses).toHaveLength(2);
    const values = losses.map((l) => l.dataSync()[0]).sort((a, b) => a - b);
    const expected = [
      0.5 * tf.sum(tf.square(layer.cell.kernel!.read())).dataSync()[0],
      0.1 * tf.sum(tf.abs(out)).dataSync()[0],
    ].sort((a, b) => a - b);
    expect(values[0]).toBeCloseTo(expected[0], 4);
    expect(values[1]).toBeCloseTo(expected[1], 4);
    tf.dispose([...losses, out]);
  });

  test('constraints are attached to their weights', () => {
    const layer = new LSTM({ units: 2, kernelConstraint: 'nonNeg', recurrentConstraint: 'maxNorm', biasConstraint: 'unitNorm' });
    layer.build([null, 3, 2]);
    expect(layer.weights.map((w) => w.constraint?.className)).toEqual(['NonNeg', 'MaxNorm', 'UnitNorm']);
  });

  test('trainable: false freezes the cell weights; setting it back unfreezes them', () => {
    const layer = new LSTM({ units: 2, trainable: false });
    layer.build([null, 3, 2]);
    expect(layer.trainableWeights).toHaveLength(0);
    expect(layer.nonTrainableWeights).toHaveLength(3);
    layer.trainable = true;
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias']);
    expect(layer.cell.trainable).toBe(true);
  });

  test('argument errors name the layer and the argument', () => {
    expect(() => new LSTM({ units: -1 })).toThrow(/LSTM: units/);
    expect(() => new LSTM({ units: 2, returnSequence: true } as never)).toThrow(/did you mean "returnSequences"/);
    expect(() => new LSTM({ units: 2, useFused: 'always' } as never)).toThrow(/useFused/);
    const layer = new LSTM({ units: 2 });
    expect(() => layer.apply(tf.ones([2, 3]))).toThrow(/expects inputs of shape \[batch, timesteps, features\]/);
  });

  test('the fused backward pass reports per-step gradient norms tagged with the layer name', () => {
    const layer = new LSTM({ units: 3, name: 'watched' });
    const x = randn([2, 6, 2], 3);
    const events: BackwardEvent[] = [];
    const remove = addBackwardListener((e) => events.push(e));
    try {
      const g = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x);
      g.dispose();
    } finally {
      remove();
    }
    expect(events).toHaveLength(1);
    expect(events[0].tag).toBe('watched');
    expect(events[0].cell).toBe('lstm');
    expect(events[0].dhNorms).toHaveLength(6);
  });

  test('no tensor leaks, forward and backward', () => {
    const layer = new LSTM({ units: 3, returnSequences: true, returnState: true });
    const x = randn([2, 4, 3], 2);
    expectNoLeak(() => layer.apply(x) as tf.Tensor[]);
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum((layer.apply(x) as tf.Tensor[])[0]) as tf.Scalar);
      return [value, ...Object.values(grads)];
    });
  });
});
