import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Embedding } from './embedding';

describe('Embedding', () => {
  beforeEach(() => resetNameCounters());

  test('passes the shared layer test, with and without maskZero', () => {
    const ids = tf.tensor2d([[3, 1, 0, 0], [2, 2, 4, 0]], undefined, 'int32');
    runLayerTest({
      make: () => new Embedding({ inputDim: 5, outputDim: 3, embeddingsRegularizer: 'l2' }),
      input: ids,
      expectedOutputShape: [2, 4, 3],
      expectedWeights: ['embeddings'],
      mask: { input: null, expected: null },
    });
    runLayerTest({
      make: () => new Embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputLength: 4 }),
      input: ids,
      expectedOutputShape: [2, 4, 3],
      expectedWeights: ['embeddings'],
      mask: { input: null, expected: tf.tensor2d([[1, 1, 0, 0], [1, 1, 1, 0]], undefined, 'bool') },
    });
  });

  test('looks up rows; shape and parameters', () => {
    const e = new Embedding({ inputDim: 4, outputDim: 2 });
    const y = e.apply(input({ shape: [6] }));
    expect((y as { shape: unknown }).shape).toEqual([null, 6, 2]);
    expect(e.countParams()).toBe(8);
    e.setWeights([tf.tensor2d([[0, 0], [1, 1], [2, 2], [3, 3]])]);
    const out = e.apply(tf.tensor2d([[3, 1], [0, 2]], undefined, 'int32')) as Tensor;
    expect(out.arraySync()).toEqual([[[3, 3], [1, 1]], [[0, 0], [2, 2]]]);
    // float indices (as data often arrives) are cast
    expect((e.apply(tf.tensor2d([[2]])) as Tensor).arraySync()).toEqual([[[2, 2]]]);
  });

  test('the table gradient sums dy rows at their indices (repeated indices add up)', () => {
    const e = new Embedding({ inputDim: 4, outputDim: 2 });
    e.apply(tf.tensor2d([[0]], undefined, 'int32'));
    const table = e.weights[0].val;
    const dy = tf.tensor3d([[[1, 2], [10, 20], [100, 200]]]);
    const { grads } = tf.variableGrads(() => (e.apply(tf.tensor2d([[3, 1, 3]], undefined, 'int32')) as Tensor).mul(dy).sum() as tf.Scalar, [table]);
    expect(grads[table.name].arraySync()).toEqual([[0, 0], [10, 20], [0, 0], [101, 202]]);
  });

  test('values and table gradient equal those of tf.gather; repeated calls leave no tensors behind', () => {
    const e = new Embedding({ inputDim: 30, outputDim: 6 });
    const ids = tf.tensor2d([[4, 29, 4, 0], [7, 7, 7, 1]], undefined, 'int32');
    e.apply(ids);
    const table = e.weights[0].val;
    const w = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 9);
    const lossWith = (lookup: () => Tensor) => () => lookup().tanh().mul(w).sum() as tf.Scalar;
    const ours = tf.variableGrads(lossWith(() => e.apply(ids) as Tensor), [table]);
    const theirs = tf.variableGrads(lossWith(() => tf.gather(table, ids)), [table]);
    expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 5);
    expect(tf.tidy(() => ours.grads[table.name].sub(theirs.grads[table.name]).abs().max().dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads)]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(lossWith(() => e.apply(ids) as Tensor), [table]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, w]);
  });

  test('maskZero: mask = input != 0; no mask otherwise', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 3, maskZero: true });
    const x = tf.tensor2d([[1, 2, 0, 0]], undefined, 'int32');
    expect((e.computeMask(x) as Tensor).arraySync()).toEqual([[1, 1, 0, 0]]);
    expect(new Embedding({ inputDim: 5, outputDim: 3 }).computeMask(x)).toBeNull();
  });

  test('inputLength gives the input shape and fills the output shape', () => {
    const e = new Embedding({ inputDim: 10, outputDim: 3, inputLength: 7 });
    expect(e.batchInputShape).toEqual([null, 7]);
    expect(e.computeOutputShape([null, null])).toEqual([null, 7, 3]);
  });

  test('out-of-range indices give a clear error', () => {
    const e = new Embedding({ inputDim: 3, outputDim: 2 });
    expect(() => e.apply(tf.tensor2d([[0, 3]], undefined, 'int32'))).toThrow(
      "Embedding 'embedding': index 3 (at position [0, 1]) is out of range: indices must lie in [0, 2] (inputDim 3); raise inputDim or clip the indices.");
    expect(() => e.apply(tf.tensor2d([[-1, 0]]))).toThrow(/index -1 \(at position \[0, 0\]\) is out of range/);
    expect(() => new Embedding({ inputDim: 0, outputDim: 2 })).toThrow('Embedding: inputDim: expected a positive integer, got 0');
  });

  test('config round trip', () => {
    const e = new Embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputLength: 5, embeddingsInitializer: 'glorotUniform', embeddingsRegularizer: 'l2', embeddingsConstraint: 'maxNorm' });
    const config = e.getConfig();
    expect(config).toMatchObject({ inputDim: 9, outputDim: 4, maskZero: true, inputLength: 5, embeddingsInitializer: { className: 'GlorotUniform' } });
    expect(Embedding.fromConfig(config).getConfig()).toEqual(config);
    expect(new Embedding({ inputDim: 2, outputDim: 2 }).getConfig().embeddingsInitializer).toEqual({ className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } });
  });
});
