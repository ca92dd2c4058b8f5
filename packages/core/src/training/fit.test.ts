import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../engine/random';
import { compileModel } from './compile_args';
import { fitModel } from './fit';
import { evaluateModel } from './evaluate';
import { SGD } from './optimizers/sgd';
import { Adam } from './optimizers/adam';
import { Callback } from './callbacks/callback';
import { LinearModel, SoftmaxModel, StatefulModel } from './__tests__/fake_models';

/** y = 2x + 1 on x = 0..n-1 (scaled). */
function lineData(n: number): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: n }, (_, i) => [i / n]);
  return { x, y: x.map(([v]) => [2 * v + 1]) };
}

describe('fit on arrays', () => {
  it('learns, and returns a History with Keras names', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: new Adam({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    const { x, y } = lineData(50);
    const history = await fitModel(model, x, y, { epochs: 30, batchSize: 10, verbose: 0, validationSplit: 0.2 });
    expect(history.epoch).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(Object.keys(history.history)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    const losses = history.history.loss;
    expect(losses[29]).toBeLessThan(losses[0] / 10);
    expect(history.history.val_loss[29]).toBeLessThan(0.05);
    model.dispose();
  });

  it('epoch loss is the batch-size-weighted mean of the batch losses; batch logs are running means', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    // Targets 0: squared errors 1, 4, 9. Batches [1, 2] and [3]: losses 2.5 and 9 -> (2.5 * 2 + 9) / 3.
    const batchLogs: number[] = [];
    const cb = new (class extends Callback {
      override onTrainBatchEnd(_: number, logs: Record<string, number>) {
        batchLogs.push(logs.loss);
      }
    })();
    const h = await fitModel(model, [[1], [2], [3]], [[0], [0], [0]], { batchSize: 2, shuffle: false, verbose: 0, callbacks: [cb] });
    expect(batchLogs[0]).toBeCloseTo(2.5, 6);
    expect(batchLogs[1]).toBeCloseTo(14 / 3, 6);
    expect(h.history.loss[0]).toBeCloseTo(14 / 3, 6);
    model.dispose();
  });

  it('validationSplit holds out the last samples, before shuffling', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    // Targets 0: squared errors are x^2. The last 3 of 10 samples (x = 7, 8, 9) are the validation set.
    const x = Array.from({ length: 10 }, (_, i) => [i]);
    const y = x.map(() => [0]);
    const h = await fitModel(model, x, y, { validationSplit: 0.3, verbose: 0, shuffle: true, batchSize: 4 });
    expect(h.history.val_loss[0]).toBeCloseTo((49 + 64 + 81) / 3, 4);
    expect(h.history.loss[0]).toBeCloseTo((0 + 1 + 4 + 9 + 16 + 25 + 36) / 7, 4);
    await expect(fitModel(model, [[1]], [[1]], { validationSplit: 0.5, verbose: 0 })).rejects.toThrow(/cannot be split/);
    model.dispose();
  });

  it('validationData with sample weights', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const h = await fitModel(model, [[1]], [[1]], { verbose: 0, validationData: [[[1], [2]], [[0], [0]], [1, 3]] });
    expect(h.history.val_loss[0]).toBeCloseTo((1 + 12) / 2, 5);
    model.dispose();
  });

  it('honours model.stopTraining after the current batch', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    let batches = 0;
    const stopper = new (class extends Callback {
      override onTrainBatchEnd(batch: number) {
        batches++;
        if (batch === 2) this.model.stopTraining = true;
      }
    })();
    const { x, y } = lineData(40);
    const h = await fitModel(model, x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stopper] });
    expect(batches).toBe(3);
    expect(h.epoch).toEqual([0]);
    model.dispose();
  });

  it('initialEpoch resumes the epoch count', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    const h = await fitModel(model, [[1]], [[1]], { epochs: 4, initialEpoch: 2, verbose: 0 });
    expect(h.epoch).toEqual([2, 3]);
    model.dispose();
  });

  it('rejects unknown options and bad values with their names', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { loss: 'mse' });
    await expect(fitModel(model, [[1]], [[1]], { epoch: 3 } as never)).rejects.toThrow(/unknown argument\(s\) epoch/);
    await expect(fitModel(model, [[1]], [[1]], { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(fitModel(model, [[1]], [[1]], { shuffle: 'yes' as never })).rejects.toThrow(/shuffle must be/);
    model.dispose();
  });
});

describe('shuffling', () => {
  async function orderSeen(shuffle: boolean | 'batch', seed = 7): Promise<number[][]> {
    setSeed(seed);
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    model.seen = [];
    await fitModel(model, Array.from({ length: 10 }, (_, i) => [i]), Array.from({ length: 10 }, () => [0]), { batchSize: 4, shuffle, verbose: 0 });
    const seen = model.seen.map((b) => b.map((r) => r[0]));
    model.dispose();
    setSeed(null);
    return seen;
  }

  it('false keeps the order; true permutes all samples; "batch" shuffles within each chunk', async () => {
    expect(await orderSeen(false)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const all = await orderSeen(true);
    expect(all.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(all.flat()).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const chunks = await orderSeen('batch');
    expect(chunks.map((c) => [...c].sort((a, b) => a - b))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(chunks.flat()).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is reproducible under setSeed', async () => {
    expect(await orderSeen(true, 3)).toEqual(await orderSeen(true, 3));
    expect(await orderSeen(true, 3)).not.toEqual(await orderSeen(true, 4));
  });
});

describe('reproducibility and memory', () => {
  async function seededRun(): Promise<number[]> {
    setSeed(123);
    const model = new SoftmaxModel([[0.1, -0.1], [0.2, 0.3]], [0, 0]);
    compileModel(model, { optimizer: new Adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const y = x.map(([a, b]) => (a + b > 0 ? 1 : 0));
    const h = await fitModel(model, x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    model.dispose();
    setSeed(null);
    return [...h.history.loss, ...h.history.accuracy];
  }

  it('two seeded runs give identical losses', async () => {
    expect(await seededRun()).toEqual(await seededRun());
  });

  it('no tensor leaks: numTensors is the same after epoch 1 and epoch 5, and after fit', async () => {
    const model = new LinearModel([[0]], [0]);
    model.penalties = [() => model.kernel.val.abs().sum().mul(0.01)];
    compileModel(model, { optimizer: new Adam({ clipnorm: 1 }), loss: 'mse', metrics: ['mae', 'mse'] });
    const { x, y } = lineData(30);
    const counts: number[] = [];
    const probe = new (class extends Callback {
      override onEpochEnd() {
        counts.push(tf.memory().numTensors);
      }
    })();
    const before = tf.memory().numTensors;
    await fitModel(model, x, y, { epochs: 5, batchSize: 7, verbose: 0, validationSplit: 0.2, callbacks: [probe] });
    expect(counts[4]).toBe(counts[0]);
    // Only the optimizer's slot variables (2 weights x 2 Adam slots) remain.
    expect(tf.memory().numTensors).toBe(before + 4);
    model.dispose();
  });
});

describe('stateful models', () => {
  it('carry states from batch to batch, reset them at epoch end, never shuffle', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const model = new StatefulModel(2);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = [[1], [2], [3], [4], [5], [6]];
    await fitModel(model, x, x.map(() => [0]), { batchSize: 2, epochs: 2, shuffle: true, verbose: 0 });
    // Batches [1,2], [3,4], [5,6] in order: the state entering each batch sums the previous inputs.
    expect(model.statesSeen).toEqual([0, 3, 10, 0, 3, 10]);
    expect(model.resets).toBe(2);
    expect(warn.mock.calls.some(([m]) => /stateful/.test(String(m)))).toBe(true);
    await expect(fitModel(model, [[1], [2], [3]], [[0], [0], [0]], { batchSize: 2, verbose: 0 })).rejects.toThrow(/divisible by the batch size/);
    warn.mockRestore();
    model.resetStates();
    model.dispose();
  });
});

describe('evaluate', () => {
  it('returns the loss, a list with metrics, or a dict', async () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    expect(await evaluateModel(model, [[1], [2], [3]], [[0], [0], [0]], { verbose: 0, batchSize: 2 })).toBeCloseTo(14 / 3, 5);
    compileModel(model, { optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const list = (await evaluateModel(model, [[1], [2], [3]], [[0], [0], [0]], { verbose: 0 })) as number[];
    expect(list[1]).toBeCloseTo(2, 5);
    const dict = await evaluateModel(model, [[1]], [[0]], { verbose: 0, returnDict: true });
    expect(dict).toEqual({ loss: 1, mae: 1 });
    model.dispose();
  });
});

describe('event loop', () => {
  it('lets timers run during a long fit, so a signal handler can stop training', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    const { x, y } = lineData(64);
    // A timer standing in for a SIGINT handler: it can only fire if fit yields to the event loop.
    const timer = setTimeout(() => {
      model.stopTraining = true;
    }, 0);
    const h = await fitModel(model, x, y, { epochs: 1000, batchSize: 1, verbose: 0 });
    clearTimeout(timer);
    expect(h.epoch.length).toBeLessThan(1000);
    model.dispose();
  });
});
