/**
 * predict and predictOnBatch return new tensors the caller owns (Keras and tfjs semantics), also when
 * the model hands its input back: disposing a prediction must leave the caller's input alive.
 */
import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import type { SymbolicTensor } from '../engine/symbolic';
import type { Tensor } from '../engine/types';
import { Layer } from '../engine/layer';
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

  test('the same computed tensor listed twice comes back as two tensors', () => {
    const a = input({ shape: [2] });
    const d = new Dense({ units: 1, kernelInitializer: 'ones', useBias: false }).apply(a) as SymbolicTensor;
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    expectOwnedPredictions(model({ inputs: a, outputs: [d, d] }), x, [[3, 7], [3, 7]]);
    x.dispose();
  });
});

/** A layer that hands back a tensor it keeps between calls: a weight's variable, or a kept constant. */
class KeptOutput extends Layer {
  constructor(private readonly held: () => Tensor) {
    super({});
  }
  call(): Tensor {
    return this.held();
  }
  override computeOutputShape(): (number | null)[] {
    return [...this.held().shape];
  }
}

describe('predict on layers that return tensors they keep', () => {
  beforeEach(() => resetNameCounters());

  test.each([
    ['a variable', () => tf.variable(tf.tensor2d([[4, 5]]))],
    ['a kept tensor', () => tf.keep(tf.tensor2d([[6, 7]]))],
  ])('%s is cloned for the caller, so disposing the prediction leaves it alive', (_name, make) => {
    const held = make();
    const a = input({ shape: [2] });
    const m = model({ inputs: a, outputs: new KeptOutput(() => held).apply(a) as SymbolicTensor });
    const x = tf.tensor2d([[1, 2]]);
    const expected = Array.from(held.dataSync());
    expectOwnedPredictions(m, x, [expected]);
    expect(held.isDisposed).toBe(false);
    tf.dispose([x, held]);
  });
});

describe('predict hands over the outputs the forward pass created', () => {
  beforeEach(() => resetNameCounters());

  test('no clone of a computed output, and no tensor left behind', () => {
    const m = new Sequential({ layers: [new Dense({ units: 3, inputShape: [4] }), new Activation({ activation: 'softmax' })] });
    const x = tf.ones([2, 4]);
    tf.dispose(m.predict(x));
    const clone = jest.spyOn(tf.Tensor.prototype, 'clone');
    try {
      const before = tf.memory().numTensors;
      for (const predict of [() => m.predict(x), () => m.predictOnBatch(x)]) {
        const y = predict() as Tensor;
        expect(y.shape).toEqual([2, 3]);
        expect(tf.memory().numTensors).toBe(before + 1);
        y.dispose();
      }
      expect(clone).not.toHaveBeenCalled();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      clone.mockRestore();
    }
    x.dispose();
  });
});
