import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { compileModel } from '../compile_args';
import { fitModel } from '../fit';
import { SGD } from '../optimizers/sgd';
import { GradientMonitor } from './gradient_monitor';
import { LinearModel, TwoHeadModel } from '../__tests__/fake_models';
import type { BackwardEvent } from '@recurrent/kernels';

describe('GradientMonitor', () => {
  it('records the global and per-layer gradient norms of each step, before clipping', async () => {
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0.1, clipnorm: 0.01 }), loss: 'mse' });
    const monitor = new GradientMonitor({ subscribe: () => () => {} });
    await fitModel(model, [[1], [2]], [[1], [2]], { epochs: 2, batchSize: 2, verbose: 0, callbacks: [monitor] });
    // First step (w = b = 0): dL/dw = -5, dL/db = -3.
    expect(monitor.records).toHaveLength(2);
    expect(monitor.records[0].globalNorm).toBeCloseTo(Math.sqrt(34), 5);
    expect(monitor.records[0].layerNorms.dense).toBeCloseTo(Math.sqrt(34), 5);
    expect(monitor.records[1]).toMatchObject({ step: 1, epoch: 1, batch: 0 });
    expect(monitor.layerNorms('dense')).toEqual(monitor.globalNorms);
    model.dispose();
  });

  it('groups weights by layer', async () => {
    const model = new TwoHeadModel([[0]], [[0]]);
    compileModel(model, { optimizer: new SGD({ learningRate: 0 }), loss: ['mse', 'mse'] });
    const monitor = new GradientMonitor({ subscribe: () => () => {} });
    // a: d/dka of mean((ka x - 1)^2) at 0 = -2 * mean(x) = -3; b: target 2 -> -6.
    await fitModel(model, [[1], [2]], [[[1], [1]], [[2], [2]]], { verbose: 0, callbacks: [monitor] });
    expect(monitor.records[0].layerNorms.a).toBeCloseTo(3, 5);
    expect(monitor.records[0].layerNorms.b).toBeCloseTo(6, 5);
    expect(monitor.records[0].globalNorm).toBeCloseTo(Math.sqrt(45), 5);
    model.dispose();
  });

  it('collects the per-timestep dLoss/dh norms reported during each step, tagged by layer', async () => {
    let listener: ((e: BackwardEvent) => void) | null = null;
    let unsubscribed = false;
    const monitor = new GradientMonitor({
      every: 2,
      subscribe: (fn) => {
        listener = fn;
        return () => {
          unsubscribed = true;
        };
      },
    });
    const model = new LinearModel([[0]], [0]);
    const forward = model.forward.bind(model);
    let calls = 0;
    model.forward = (inputs: tf.Tensor[]) => {
      // Stands in for the fused kernel's backward report of an 'lstm' layer.
      listener?.({ tag: 'lstm', cell: 'lstm', dhNorms: Float32Array.from([calls, 0.5, 0.25]) });
      calls++;
      return forward(inputs);
    };
    compileModel(model, { optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    await fitModel(model, [[1], [2], [3]], [[1], [2], [3]], { batchSize: 1, shuffle: false, verbose: 0, callbacks: [monitor] });
    expect(monitor.records.map((r) => r.step)).toEqual([0, 2]);
    expect(monitor.timestepNorms.lstm).toEqual([
      [0, 0.5, 0.25],
      [2, 0.5, 0.25],
    ]);
    expect(monitor.timestepSteps.lstm).toEqual([0, 2]);
    expect(unsubscribed).toBe(true);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gm-')), 'grads.json');
    monitor.writeJSON(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.timestepNorms.lstm[1]).toEqual([2, 0.5, 0.25]);
    expect(json.records).toHaveLength(2);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    model.dispose();
  });

  it('unsubscribes from the kernels when fit fails', async () => {
    let subscribed = 0;
    const monitor = new GradientMonitor({
      subscribe: () => {
        subscribed++;
        return () => subscribed--;
      },
    });
    const model = new LinearModel([[0]], [0]);
    compileModel(model, { optimizer: 'sgd', loss: 'mse' });
    await expect(fitModel(model, [[1]], [[1, 2, 3]], { verbose: 0, callbacks: [monitor] })).rejects.toThrow(/do not match/);
    expect(subscribed).toBe(0);
    model.dispose();
  });
});
