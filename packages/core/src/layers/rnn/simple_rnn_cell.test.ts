import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { runLayerTest } from '../../testing';
import { SimpleRNNCell } from './simple_rnn_cell';
import { CELL_IS_NO_TFJS_LAYER, expectClose } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

function builtCell(args: ConstructorParameters<typeof SimpleRNNCell>[0], features: number): SimpleRNNCell {
  const cell = new SimpleRNNCell(args);
  cell.build([null, features]);
  cell.built = true;
  return cell;
}

describe('SimpleRNNCell', () => {
  test('passes the shared layer test as a layer: apply([x, h]) -> [output, h]', () => {
    runLayerTest({
      make: () => new SimpleRNNCell({ units: 2, activation: 'relu' }),
      input: [tf.randomNormal([3, 4], 0, 1, 'float32', 1), tf.randomNormal([3, 2], 0, 1, 'float32', 2)],
      expectedOutputShape: [[3, 2], [3, 2]],
      expectedWeights: ['kernel', 'recurrent_kernel', 'bias'],
      tfjsInterop: CELL_IS_NO_TFJS_LAYER,
    });
  });

  test('one step is tanh(x·K + b + h·R) (Keras SimpleRNNCell.call)', () => {
    const cell = builtCell({ units: 2 }, 3);
    const K = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]];
    const R = [[0.7, -0.1], [0.2, 0.5]];
    const b = [0.05, -0.05];
    cell.setWeights([tf.tensor2d(K), tf.tensor2d(R), tf.tensor1d(b)]);
    const x = [1, 2, -1];
    const h = [0.3, -0.6];
    const expected = [0, 1].map((j) =>
      Math.tanh(x.reduce((s, xi, i) => s + xi * K[i][j], 0) + b[j] + h.reduce((s, hi, i) => s + hi * R[i][j], 0)));
    const [out, states] = cell.call(tf.tensor2d([x]), [tf.tensor2d([h])], false);
    expectClose(out, tf.tensor2d([expected]), 1e-6);
    expect(states).toHaveLength(1);
    expectClose(states[0], out, 0);
  });

  test('weights: kernel [F, U], recurrent_kernel [U, U], bias [U], named after the cell', () => {
    const cell = builtCell({ units: 4 }, 3);
    expect(cell.weights.map((w) => [w.name, w.shape])).toEqual([
      ['simple_rnn_cell/kernel', [3, 4]],
      ['simple_rnn_cell/recurrent_kernel', [4, 4]],
      ['simple_rnn_cell/bias', [4]],
    ]);
    expect(builtCell({ units: 4, useBias: false }, 3).weights).toHaveLength(2);
  });

  test('the recurrent kernel starts orthogonal, the bias at zero', () => {
    const cell = builtCell({ units: 5 }, 2);
    const r = cell.recurrentKernel!.read();
    expectClose(tf.matMul(r, r, false, true), tf.eye(5), 1e-5);
    expectClose(cell.bias!.read(), tf.zeros([5]), 0);
  });

  test('activation null means linear', () => {
    const cell = builtCell({ units: 1, activation: null }, 1);
    cell.setWeights([tf.tensor2d([[2]]), tf.tensor2d([[3]]), tf.tensor1d([1])]);
    const [out] = cell.call(tf.tensor2d([[5]]), [tf.tensor2d([[1]])], false);
    expect(out.dataSync()[0]).toBeCloseTo(2 * 5 + 1 + 3 * 1, 5);
  });

  test('as a layer: apply([x, h]) returns [output, h]; apply(x) starts from zeros', () => {
    const cell = new SimpleRNNCell({ units: 3 });
    const x = tf.randomNormal([2, 4]);
    const out = cell.apply([x, tf.zeros([2, 3])]) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[2, 3], [2, 3]]);
    const alone = cell.apply(x) as tf.Tensor[];
    expectClose(alone[0], out[0], 0);
    expect(cell.computeOutputShape([[null, 4], [null, 3]])).toEqual([[null, 3], [null, 3]]);
  });

  test('getConfig / fromConfig round trip (with seed)', () => {
    const cell = new SimpleRNNCell({ units: 3, activation: 'relu', dropout: 0.2, seed: 5, kernelRegularizer: 'l2' });
    const config = cell.getConfig();
    expect(config).toMatchObject({ units: 3, activation: 'relu', dropout: 0.2, recurrentDropout: 0, seed: 5, useBias: true });
    expect(config.kernelInitializer).toMatchObject({ className: 'GlorotUniform' });
    expect(config.recurrentInitializer).toMatchObject({ className: 'Orthogonal' });
    expect(SimpleRNNCell.fromConfig(config).getConfig()).toEqual(config);
  });

  test('argument errors name the argument', () => {
    expect(() => new SimpleRNNCell({ units: 0 })).toThrow(/SimpleRNNCell: units/);
    expect(() => new SimpleRNNCell({ units: 2, dropout: 1.5 })).toThrow(/dropout/);
    expect(() => new SimpleRNNCell({ units: 2, activation: 'nope' })).toThrow(/activation/);
    expect(() => new SimpleRNNCell({ units: 2, unitz: 3 } as never)).toThrow(/unknown argument "unitz"/);
    const cell = builtCell({ units: 2 }, 3);
    expect(() => cell.call(tf.ones([1, 4]), [tf.zeros([1, 2])], false)).toThrow(/step input must be \[batch, 3\]/);
    expect(() => cell.call(tf.ones([1, 3]), [], false)).toThrow(/expected 1 state/);
  });
});
