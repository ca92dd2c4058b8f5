/**
 * predict and predictOnBatch return new tensors the caller owns (Keras and tfjs semantics), also when
 * the model hands its input back: disposing a prediction must leave the caller's input alive.
 */
import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import type { SymbolicTensor } from '../engine/symbolic';
import type { Tensor } from '../engine/types';
import { Activation } from '../layers/core/activation';
import { Dense } from '../layers/core/dense';
import { Dropout } from '../layers/core/dropout';
import { model, type Model } from './model';
import { Sequential } from './sequential';

const values = (t: Tensor) => Array.from(t.dataSync());

/** Every way a prediction can come back: whole, in batches, one batch; always as owned, living tensors. */
function expectOwnedPredictions(m: Model, x: Tensor | Tensor[], expected: number[][]): void {
  const inputs = Array.isArray(x) ? x : [x];
  const original = inputs.map(values);
  tf.dispose(m.predict(x)); // creates the weights' variables, which are not predictions
  const before = tf.memory().numTensors;
  for (const predict of [() => m.predict(x), () => m.predict(x, { batchSize: 1 }), () => m.predictOnBatch(x)]) {
    const outputs = [predict()].flat();
    expect(outputs.map(values)).toEqual(expected);
    for (const y of outputs) expect(inputs.includes(y)).toBe(false);
    // The outputs are distinct tensors even when the graph names one tensor twice.
    expect(new Set(outputs).size).toBe(outputs.length);
    tf.dispose(outputs);
    for (const t of inputs) expect(t.isDisposed).toBe(false);
    expect(inputs.map(values)).toEqual(original);
  }
  expect(tf.memory().numTensors).toBe(before);
}

describe('predict on models that hand their input back', () => {
  beforeEach(() => resetNameCounters());

  test('an Input straight to the output', () => {
    const a = input({ shape: [2] });
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    expectOwnedPredictions(model({ inputs: a, outputs: a }), x, [[1, 2, 3, 4]]);
    x.dispose();
  });

  test('layers that return their input tensor (Dropout in inference, a linear Activation), functional and Sequential', () => {
    const a = input({ shape: [3] });
    const passed = new Activation({ activation: 'linear' }).apply(new Dropout({ rate: 0.5 }).apply(a) as SymbolicTensor) as SymbolicTensor;
    const x = tf.tensor2d([[1, -2, 3]]);
    expectOwnedPredictions(model({ inputs: a, outputs: passed }), x, [[1, -2, 3]]);
    expectOwnedPredictions(new Sequential({ layers: [new Dropout({ rate: 0.2, inputShape: [3] })] }), x, [[1, -2, 3]]);
    x.dispose();
  });

  test('several outputs: an input, the same tensor twice, and a computed one', () => {
    const a = input({ shape: [2] });
    const b = input({ shape: [2] });
    const dense = new Dense({ units: 1, kernelInitializer: 'ones', useBias: false });
    const m = model({ inputs: [a, b], outputs: [b, a, a, dense.apply(a) as SymbolicTensor] });
    const xa = tf.tensor2d([[1, 2]]);
    const xb = tf.tensor2d([[5, 6]]);
    expectOwnedPredictions(m, [xa, xb], [[5, 6], [1, 2], [1, 2], [3]]);
    tf.dispose([xa, xb]);
  });

  test('an array given to predictOnBatch is converted and released; the identity output outlives it', () => {
    const a = input({ shape: [2] });
    const m = model({ inputs: a, outputs: a });
    const before = tf.memory().numTensors;
    const y = m.predictOnBatch([[7, 8]]) as Tensor;
    expect(values(y)).toEqual([7, 8]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
