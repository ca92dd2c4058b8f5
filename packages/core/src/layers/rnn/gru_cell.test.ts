import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { runLayerTest } from '../../testing';
import { GRUCell } from './gru_cell';
import { CELL_IS_NO_TFJS_LAYER } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function builtCell(args: ConstructorParameters<typeof GRUCell>[0], features: number): GRUCell {
  const cell = new GRUCell(args);
  cell.build([null, features]);
  cell.built = true;
  return cell;
}

const k = [0.5, -0.3, 0.8];
const r = [0.2, 0.4, -0.6];
const x = 0.7;
const h0 = -0.4;

describe('GRUCell', () => {
  test('passes the shared layer test as a layer, with either reset placement', () => {
    const input = [tf.randomNormal([3, 4], 0, 1, 'float32', 1), tf.randomNormal([3, 2], 0, 1, 'float32', 2)];
    runLayerTest({
      make: () => new GRUCell({ units: 2 }), input, expectedOutputShape: [[3, 2], [3, 2]], expectedWeights: ['kernel', 'recurrent_kernel', 'bias'],
      unsupportedDialects: { tfjs: /reset_after/ },
    });
    runLayerTest({ make: () => new GRUCell({ units: 2, resetAfter: false }), input, expectedOutputShape: [[3, 2], [3, 2]], tfjsInterop: CELL_IS_NO_TFJS_LAYER });
  });

  test('resetAfter (default): bias [2, 3U], the recurrent bias sits inside the reset product', () => {
    const cell = builtCell({ units: 1 }, 1);
    const bIn = [0.1, -0.2, 0.3];
    const bRec = [0.05, 0.15, -0.25];
    cell.setWeights([tf.tensor2d([k]), tf.tensor2d([r]), tf.tensor2d([bIn, bRec])]);
    const z = sigmoid(x * k[0] + bIn[0] + h0 * r[0] + bRec[0]);
    const rg = sigmoid(x * k[1] + bIn[1] + h0 * r[1] + bRec[1]);
    const hh = Math.tanh(x * k[2] + bIn[2] + rg * (h0 * r[2] + bRec[2]));
    const expected = z * h0 + (1 - z) * hh;
    const [out] = cell.call(tf.tensor2d([[x]]), [tf.tensor2d([[h0]])], false);
    expect(out.dataSync()[0]).toBeCloseTo(expected, 6);
  });

  test('resetAfter=false: bias [3U] on the input side, the reset gate applied before the matmul', () => {
    const cell = builtCell({ units: 1, resetAfter: false }, 1);
    const b = [0.1, -0.2, 0.3];
    cell.setWeights([tf.tensor2d([k]), tf.tensor2d([r]), tf.tensor1d(b)]);
    const z = sigmoid(x * k[0] + b[0] + h0 * r[0]);
    const rg = sigmoid(x * k[1] + b[1] + h0 * r[1]);
    const hh = Math.tanh(x * k[2] + b[2] + rg * h0 * r[2]);
    const expected = z * h0 + (1 - z) * hh;
    const [out] = cell.call(tf.tensor2d([[x]]), [tf.tensor2d([[h0]])], false);
    expect(out.dataSync()[0]).toBeCloseTo(expected, 6);
  });

  test('the two variants differ (with more than one unit the reset placement matters)', () => {
    const a = builtCell({ units: 3, resetAfter: true, useBias: false }, 2);
    const b = builtCell({ units: 3, resetAfter: false, useBias: false }, 2);
    b.setWeights(a.getWeights());
    const xs = tf.randomNormal([2, 2], 0, 1, 'float32', 1);
    const hs = tf.randomNormal([2, 3], 0, 1, 'float32', 2);
    const [ya] = a.call(xs, [hs], false);
    const [yb] = b.call(xs, [hs], false);
    expect(tf.max(tf.abs(tf.sub(ya, yb))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  test('weight shapes for both variants', () => {
    expect(builtCell({ units: 4 }, 6).weights.map((w) => w.shape)).toEqual([[6, 12], [4, 12], [2, 12]]);
    expect(builtCell({ units: 4, resetAfter: false }, 6).weights.map((w) => w.shape)).toEqual([[6, 12], [4, 12], [12]]);
  });

  test('getConfig / fromConfig round trip (resetAfter, seed)', () => {
    const cell = new GRUCell({ units: 4, resetAfter: false, seed: 11, dropout: 0.3 });
    const config = cell.getConfig();
    expect(config).toMatchObject({ units: 4, resetAfter: false, seed: 11, dropout: 0.3, recurrentActivation: 'sigmoid', activation: 'tanh' });
    expect(GRUCell.fromConfig(config).getConfig()).toEqual(config);
  });
});
