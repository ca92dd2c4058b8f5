import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../engine/random';
import { compileModel } from './compile_args';
import { fitModel } from './fit';
import { evaluateModel } from './evaluate';
import { SGD } from './optimizers/sgd';
import { TwoHeadModel, LinearModel } from './__tests__/fake_models';

function data(n: number) {
  const x = Array.from({ length: n }, (_, i) => [Math.sin(i) * 2]);
  const y = x.map(([v]) => [3 * v - 1]);
  return { x, y };
}

async function trainWith(source: (x: number[][], y: number[][]) => unknown, epochs = 3, extra: Record<string, unknown> = {}) {
  const model = new LinearModel([[0]], [0]);
  compileModel(model, { optimizer: new SGD({ learningRate: 0.05, momentum: 0.5 }), loss: 'mse', metrics: ['mae'] });
  const { x, y } = data(20);
  const h = await fitModel(model, source(x, y), undefined, { epochs, verbose: 0, ...extra });
  const w = [model.kernel.val.dataSync()[0], model.bias.val.dataSync()[0]];
  model.dispose();
  return { history: h.history, w };
}

/** Batches of 4 in order, as fresh tensors each time (the engine disposes them after use). */
function* batchesOf(x: number[][], y: number[][]) {
  for (let i = 0; i < x.length; i += 4) yield { xs: tf.tensor2d(x.slice(i, i + 4)), ys: tf.tensor2d(y.slice(i, i + 4)) };
}

describe('iterables of batches', () => {
  let reference: Awaited<ReturnType<typeof trainWith>>;
  beforeAll(async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0.05, momentum: 0.5 }), loss: 'mse', metrics: ['mae'] });
    const { x, y } = data(20);
    const h = await fitModel(model, x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    reference = { history: h.history, w: [model.kernel.val.dataSync()[0], model.bias.val.dataSync()[0]] };
    model.dispose();
  });

  it('a generator function gives the same result as the arrays', async () => {
    const r = await trainWith((x, y) => () => batchesOf(x, y));
    expect(r.history).toEqual(reference.history);
    expect(r.w).toEqual(reference.w);
  });

  it('an async re-iterable and [x, y] tuples give the same result', async () => {
    const r = await trainWith((x, y) => ({
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < x.length; i += 4) yield [x.slice(i, i + 4), y.slice(i, i + 4)];
      },
    }));
    expect(r.history).toEqual(reference.history);
  });

  it('an endless generator with stepsPerEpoch', async () => {
    async function* endless(x: number[][], y: number[][]) {
      for (;;) yield* batchesOf(x, y);
    }
    const r = await trainWith((x, y) => endless(x, y), 3, { stepsPerEpoch: 5 });
    expect(r.history).toEqual(reference.history);
  });

  it('a one-shot generator without stepsPerEpoch runs out after the first epoch (with a warning)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const r = await trainWith((x, y) => batchesOf(x, y), 3);
    expect(r.history.loss).toHaveLength(1);
    expect(warn.mock.calls.some(([m]) => /ran out of batches/.test(String(m)))).toBe(true);
    warn.mockRestore();
  });

  it('leaks nothing, and evaluate accepts iterables too', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    const before = tf.memory().numTensors;
    const loss = await evaluateModel(model, () => batchesOf([[1], [2], [3]], [[0], [0], [0]]), undefined, { verbose: 0 });
    expect(loss).toBeCloseTo(14 / 3, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('validationData may be an iterable (with validationSteps); validationFreq picks the epochs', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    async function* endlessValidation() {
      for (;;) yield [tf.tensor2d([[2]]), tf.tensor2d([[0]])] as [tf.Tensor, tf.Tensor];
    }
    const h = await fitModel(model, [[1]], [[0]], { epochs: 4, verbose: 0, validationData: endlessValidation(), validationSteps: 3, validationFreq: 2 });
    expect(h.history.val_loss).toEqual([4, 4]);
    const h2 = await fitModel(model, [[1]], [[0]], { epochs: 3, verbose: 0, validationData: [[[3]], [[0]]], validationFreq: [1, 3] });
    expect(h2.history.val_loss).toEqual([9, 9]);
    model.dispose();
  });

  it('explains invalid batches and options', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { loss: 'mse' });
    await expect(fitModel(model, [{ inputs: 1 }][Symbol.iterator].bind([{ inputs: 1 }]), undefined, { verbose: 0 })).rejects.toThrow(/each batch must be/);
    await expect(fitModel(model, () => batchesOf([[1]], [[1]]), undefined, { validationSplit: 0.5, verbose: 0 })).rejects.toThrow(/validationSplit needs in-memory data/);
    await expect(fitModel(model, () => batchesOf([[1]], [[1]]), undefined, { batchSize: 4, verbose: 0 })).rejects.toThrow(/batchSize cannot be set/);
    model.dispose();
  });
});

describe('structures of several inputs and outputs', () => {
  it('takes lists or objects keyed by output name, and names what is missing', async () => {
    setSeed(1);
    const model = new TwoHeadModel([[0]], [[0]]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: ['mse', 'mse'] });
    const x = [[1], [2]];
    const byList = (await evaluateModel(model, x, [[[1], [2]], [[0], [0]]], { verbose: 0 })) as number[];
    const byName = (await evaluateModel(model, x, { b: [[0], [0]], a: [[1], [2]] }, { verbose: 0 })) as number[];
    expect(byList).toEqual(byName);
    expect(byList[1]).toBeCloseTo(2.5, 6);
    await expect(evaluateModel(model, x, { a: [[1], [2]] }, { verbose: 0 })).rejects.toThrow(/output 'b' has a loss but no target/);
    await expect(evaluateModel(model, x, { c: [[1], [2]] }, { verbose: 0 })).rejects.toThrow(/unknown outputs name\(s\) c/);
    await expect(evaluateModel(model, x, [[[1], [2]]], { verbose: 0 })).rejects.toThrow(/got 1 array\(s\) but the model has 2 outputs/);
    model.dispose();
    setSeed(null);
  });
});
