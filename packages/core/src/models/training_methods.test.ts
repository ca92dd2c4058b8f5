import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import { setSeed } from '../engine/random';
import type { SymbolicTensor } from '../engine/symbolic';
import type { Tensor } from '../engine/types';
import { Dense } from '../layers/core/dense';
import { Embedding } from '../layers/core/embedding';
import { GlobalAveragePooling1D } from '../layers/pooling/global_average_pooling1d';
import { model } from './model';
import { sequential } from './sequential';

describe('Model training methods (delegating to the training engine)', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('fit lowers the loss of a small regression; evaluate and the *OnBatch methods run', async () => {
    setSeed(4);
    const x = tf.randomNormal([64, 3], 0, 1, 'float32', 1);
    const y = tf.tidy(() => x.matMul(tf.tensor2d([[1], [-2], [0.5]])).add(0.3));
    const m = sequential({ layers: [new Dense({ units: 1, inputShape: [3] })] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const first = m.testOnBatch(x, y) as number;
    const history = await m.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(first);
    const evaluated = (await m.evaluate(x, y, { verbose: 0 })) as number;
    expect(evaluated).toBeCloseTo(m.testOnBatch(x, y) as number, 4);
    expect(typeof m.trainOnBatch(x, y)).toBe('number');
    expect((m.predictOnBatch(x) as Tensor).shape).toEqual([64, 1]);
  });

  test('a masked functional model trains (gradients flow through Embedding and masked pooling)', async () => {
    setSeed(2);
    const tokens = input({ shape: [null] });
    const h = new Embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(tokens) as SymbolicTensor;
    const out = new Dense({ units: 1, activation: 'sigmoid' }).apply(new GlobalAveragePooling1D().apply(h) as SymbolicTensor) as SymbolicTensor;
    const m = model({ inputs: tokens, outputs: out });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[1, 2, 0, 0], [3, 4, 5, 0], [6, 7, 0, 0], [8, 9, 9, 0]]);
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    const before = m.getWeights()[0].clone();
    const history = await m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0 });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    const after = m.getWeights()[0];
    // Row 0 (padding) is looked up but masked out of the mean, so it gets no gradient; row 1 is used and moves.
    expect(after.slice([1, 0], [1, 4]).sub(before.slice([1, 0], [1, 4])).abs().max().dataSync()[0]).toBeGreaterThan(0);
    expect(after.slice([0, 0], [1, 4]).sub(before.slice([0, 0], [1, 4])).abs().max().dataSync()[0]).toBe(0);
  });
});
