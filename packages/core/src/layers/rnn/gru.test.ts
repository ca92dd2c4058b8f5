import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { runLayerTest } from '../../testing';
import { GRU } from './gru';
import { expectNoLeak, maskOf, randn } from './__tests__/helpers';

beforeEach(() => resetNameCounters());

function params(args: ConstructorParameters<typeof GRU>[0], features: number): number {
  const layer = new GRU(args);
  layer.build([null, 10, features]);
  layer.built = true;
  return layer.countParams();
}

describe('GRU layer', () => {
  test('passes the shared layer test, with either reset placement (TensorFlow.js JSON has only resetAfter false)', () => {
    const x = randn([2, 5, 3], 1);
    const mask = maskOf([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    runLayerTest({
      make: () => new GRU({ units: 3, returnSequences: true }), input: x, expectedOutputShape: [2, 5, 3],
      expectedWeights: ['kernel', 'recurrent_kernel', 'bias'], unsupportedDialects: { tfjs: /reset_after/ },
      supportsMasking: true, mask: { input: mask, expected: 'input' },
    });
    runLayerTest({
      make: () => new GRU({ units: 2, resetAfter: false, returnState: true, dropout: 0.25, seed: 3 }), input: x, training: true,
      expectedOutputShape: [[2, 2], [2, 2]], expectedWeights: ['kernel', 'recurrent_kernel', 'bias'],
      gradientCheck: { training: false }, // dropout draws new masks at every training call
    });
  });

  test('parameter counts equal Keras: 31,872 with resetAfter, 31,680 without', () => {
    expect(params({ units: 64 }, 100)).toBe(31872);
    expect(params({ units: 64, resetAfter: false }, 100)).toBe(31680);
  });

  test('weights in Keras order; the resetAfter bias is [2, 3U]', () => {
    const layer = new GRU({ units: 4 });
    layer.build([null, 3, 5]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['gru/kernel', [5, 12]], ['gru/recurrent_kernel', [4, 12]], ['gru/bias', [2, 12]],
    ]);
  });

  test('returnState gives [output, h]', () => {
    const layer = new GRU({ units: 3, returnState: true });
    const out = layer.apply(randn([2, 4, 2], 1)) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[2, 3], [2, 3]]);
    expect(Array.from(out[0].dataSync())).toEqual(Array.from(out[1].dataSync()));
    expect(layer.computeOutputShape([null, 4, 2])).toEqual([[null, 3], [null, 3]]);
  });

  test('getConfig includes resetAfter and seed; fromConfig round trip', () => {
    const layer = new GRU({ units: 5, resetAfter: false, seed: 9, returnSequences: true, stateful: false });
    const config = layer.getConfig();
    expect(config).toMatchObject({ units: 5, resetAfter: false, seed: 9, returnSequences: true, recurrentActivation: 'sigmoid' });
    expect(GRU.fromConfig(JSON.parse(JSON.stringify(config))).getConfig()).toEqual(config);
  });

  test('no tensor leaks', () => {
    const layer = new GRU({ units: 3, returnSequences: true });
    const x = randn([2, 4, 3], 2);
    expectNoLeak(() => layer.apply(x) as tf.Tensor);
  });
});
