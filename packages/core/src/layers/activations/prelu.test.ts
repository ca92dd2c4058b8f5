import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { Tensor } from '../../engine/types';
import { runLayerChecks } from '../__tests__/layer_checks';
import { PReLU } from './prelu';

describe('PReLU', () => {
  test('relu(x) - alpha * relu(-x) with one slope per feature (hand-computed)', () => {
    const layer = new PReLU();
    layer.maybeBuild([null, 2]);
    layer.setWeights([tf.tensor1d([0.1, 2])]);
    expect(Array.from((layer.apply(tf.tensor2d([[-3, -3], [4, 4]])) as Tensor).dataSync())).toEqual([-0.3, -6, 4, 4].map((v) => expect.closeTo(v, 6)));
  });

  test('alpha starts at zeros (a relu); sharedAxes share a slope along those axes', () => {
    const layer = new PReLU({ sharedAxes: [1] });
    expect((layer.apply(input({ shape: [null, 3] })) as { shape: unknown }).shape).toEqual([null, null, 3]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[1, 3]]);
    expect(Array.from((layer.apply(tf.tensor3d([[[-1, 2, -3]]])) as Tensor).dataSync())).toEqual([0, 2, 0].map((v) => expect.closeTo(v, 9)));
    expect(new PReLU({ sharedAxes: 2 }).sharedAxes).toEqual([2]);
  });

  test('common checks, tfjs interop', async () => {
    const make = () => {
      const layer = new PReLU({ alphaInitializer: { className: 'RandomUniform', config: { minval: 0.1, maxval: 0.5, seed: 3 } }, name: 'prelu' });
      return layer;
    };
    await runLayerChecks({ make, inputShapes: [[3, 2]], mask: 'passes', expectedOutputShape: [null, 3, 2], expectedTrainableWeights: 1, tfjsInterop: true });
    await runLayerChecks({ make: () => new PReLU({ sharedAxes: [1], alphaRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } }, name: 'prelu' }), inputShapes: [[4, 2]], mask: 'passes', expectedOutputShape: [null, 4, 2], tfjsInterop: true });
  });

  test('unknown axes must be shared', () => {
    expect(() => new PReLU().apply(input({ shape: [null, 3] }))).toThrow(/every axis of \(None, None, 3\) not in sharedAxes needs a known size/);
    expect(() => new PReLU({ sharedAxes: [3] }).apply(input({ shape: [2, 3] }))).toThrow(/sharedAxes \[3\] reach past the input/);
  });
});
