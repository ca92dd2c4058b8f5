import * as tf from '@tensorflow/tfjs';
import { modelToJSON } from '../../config/model_to_json';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { runLayerChecks } from '../__tests__/layer_checks';
import { ELU } from './elu';

describe('ELU', () => {
  test('x above 0, alpha * (exp(x) - 1) below (hand-computed)', () => {
    const x = tf.tensor2d([[-2, -1, 0, 3]]);
    const expected = (alpha: number) => [alpha * (Math.exp(-2) - 1), alpha * (Math.exp(-1) - 1), 0, 3];
    Array.from((new ELU().apply(x) as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected(1)[i], 6));
    Array.from((new ELU({ alpha: 0.5 }).apply(x) as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected(0.5)[i], 6));
  });

  test('common checks, tfjs interop for alpha = 1', async () => {
    await runLayerChecks({ make: () => new ELU({ name: 'elu' }), inputShapes: [[3, 2]], mask: 'passes', expectedOutputShape: [null, 3, 2], tfjsInterop: true });
    await runLayerChecks({ make: () => new ELU({ alpha: 2, name: 'elu' }), inputShapes: [[3, 2]], mask: 'passes', expectedOutputShape: [null, 3, 2], dialects: ['keras3'] });
  });

  test('tfjs computes only alpha = 1', () => {
    const m = new Sequential({ layers: [new ELU({ alpha: 2, name: 'e', inputShape: [3] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/alpha: ELU 'e' cannot be written for TensorFlow.js: TensorFlow.js's ELU only computes alpha = 1/);
  });
});
