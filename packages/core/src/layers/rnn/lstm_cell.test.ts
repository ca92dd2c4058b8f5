import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { runLayerTest } from '../../testing';
import { LSTMCell } from './lstm_cell';
import { CELL_IS_NO_TFJS_LAYER, expectClose } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function builtCell(args: ConstructorParameters<typeof LSTMCell>[0], features: number): LSTMCell {
  const cell = new LSTMCell(args);
  cell.build([null, features]);
  cell.built = true;
  return cell;
}

describe('LSTMCell', () => {
  test('passes the shared layer test as a layer: apply([x, h, c]) -> [h, h, c]', () => {
    const [x, h, c] = [[3, 4], [3, 2], [3, 2]].map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', i + 1));
    runLayerTest({
      make: () => new LSTMCell({ units: 2 }), input: [x, h, c], expectedOutputShape: [[3, 2], [3, 2], [3, 2]],
      expectedWeights: ['kernel', 'recurrent_kernel', 'bias'], tfjsInterop: CELL_IS_NO_TFJS_LAYER,
    });
  });

  test('one step follows Keras: blocks i, f, c, o; c = f*c0 + i*tanh(z_c); h = o*tanh(c)', () => {
    const cell = builtCell({ units: 1 }, 1);
    const k = [0.5, -0.3, 0.8, 0.1];
    const r = [0.2, 0.4, -0.6, 0.9];
    const b = [0.1, 1.0, -0.2, 0.3];
    cell.setWeights([tf.tensor2d([k]), tf.tensor2d([r]), tf.tensor1d(b)]);
    const x = 0.7;
    const h0 = -0.4;
    const c0 = 0.25;
    const z = k.map((kg, g) => x * kg + h0 * r[g] + b[g]);
    const i = sigmoid(z[0]);
    const f = sigmoid(z[1]);
    const c = f * c0 + i * Math.tanh(z[2]);
    const h = sigmoid(z[3]) * Math.tanh(c);
    const [out, states] = cell.call(tf.tensor2d([[x]]), [tf.tensor2d([[h0]]), tf.tensor2d([[c0]])], { training: false });
    expect(out.dataSync()[0]).toBeCloseTo(h, 6);
    expect(states[0].dataSync()[0]).toBeCloseTo(h, 6);
    expect(states[1].dataSync()[0]).toBeCloseTo(c, 6);
  });

  test('recurrentActivation and activation are used where Keras uses them', () => {
    const cell = builtCell({ units: 1, activation: 'relu', recurrentActivation: 'hard_sigmoid' }, 1);
    cell.setWeights([tf.tensor2d([[1, 2, 3, -1]]), tf.zeros([1, 4]), tf.zeros([4])]);
    const hs = (v: number): number => Math.min(1, Math.max(0, v / 6 + 0.5));
    const x = 1.5;
    const c = hs(2 * x) * 0 + hs(x) * Math.max(0, 3 * x);
    const h = hs(-x) * Math.max(0, c);
    const [out, [, cNew]] = cell.call(tf.tensor2d([[x]]), [tf.zeros([1, 1]), tf.zeros([1, 1])], false);
    expect(cNew.dataSync()[0]).toBeCloseTo(c, 6);
    expect(out.dataSync()[0]).toBeCloseTo(h, 6);
  });

  test('unitForgetBias (default) initialises the bias to [0, 1, 0, 0] blocks', () => {
    const u = 3;
    const blocks = (v: number[]) => v.flatMap((x) => Array(u).fill(x));
    expect(Array.from(builtCell({ units: u }, 2).bias!.read().dataSync())).toEqual(blocks([0, 1, 0, 0]));
    expect(Array.from(builtCell({ units: u, unitForgetBias: false }, 2).bias!.read().dataSync())).toEqual(blocks([0, 0, 0, 0]));
    expect(Array.from(builtCell({ units: u, biasInitializer: 'ones' }, 2).bias!.read().dataSync())).toEqual(blocks([1, 1, 1, 1]));
  });

  test('weights: kernel [F, 4U], recurrent_kernel [U, 4U], bias [4U]; states [h, c]', () => {
    const cell = builtCell({ units: 2 }, 5);
    expect(cell.weights.map((w) => w.shape)).toEqual([[5, 8], [2, 8], [8]]);
    expect(cell.stateSize).toEqual([2, 2]);
    expect(cell.outputSize).toBe(2);
    const r = cell.recurrentKernel!.read();
    expectClose(tf.matMul(r, r, false, true), tf.eye(2), 1e-5);
  });

  test('as a layer: apply([x, h, c]) returns [h, h, c]', () => {
    const cell = new LSTMCell({ units: 3 });
    const out = cell.apply([tf.ones([2, 4]), tf.zeros([2, 3]), tf.zeros([2, 3])]) as tf.Tensor[];
    expect(out).toHaveLength(3);
    expectClose(out[0], out[1], 0);
  });

  test('getConfig / fromConfig round trip (recurrentActivation, unitForgetBias, seed)', () => {
    const cell = new LSTMCell({ units: 4, recurrentActivation: 'hardSigmoid', unitForgetBias: false, seed: 3, recurrentDropout: 0.1, implementation: 1 });
    const config = cell.getConfig();
    expect(config).toMatchObject({ units: 4, recurrentActivation: 'hard_sigmoid', unitForgetBias: false, seed: 3, recurrentDropout: 0.1 });
    expect(config).not.toHaveProperty('implementation');
    expect(LSTMCell.fromConfig(config).getConfig()).toEqual(config);
  });
});
