import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { Sequential } from '../models/sequential';
import type { Model } from '../models/model';
import { setSeed } from '../engine/random';
import { compileModel, optimizerOf } from '../training/compile_args';
import { fitModel } from '../training/fit';
import { saveModel } from './save_model';
import { loadModelSync } from './load_model';

const createdDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-resume-'));
  createdDirs.push(dir);
  return dir;
}
afterAll(() => createdDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const weightsOf = (m: Model) => m.getWeights().map((t) => Array.from(t.dataSync()));

describe('resuming training from a saved optimizer state', () => {
  for (const optimizer of ['adam', 'rmsprop', 'adamw'] as const) {
    test(`${optimizer}: save mid-way and resume gives the weights of an uninterrupted run`, async () => {
      setSeed(5);
      const start = new Sequential({ name: 'resume' });
      start.add(layers.gru({ units: 4, inputShape: [6, 2] }));
      start.add(layers.dense({ units: 1 }));
      compileModel(start, { optimizer, loss: 'mse', metrics: ['mae'] });
      const initial = tempDir();
      saveModel(start, initial);

      const x = tf.randomNormal([12, 6, 2], 0, 1, 'float32', 9);
      const y = tf.tidy(() => x.mean(1).sum(1, true));
      const fitArgs = { batchSize: 4, shuffle: false, verbose: 0 as const };

      const uninterrupted = loadModelSync(initial);
      await fitModel(uninterrupted, x, y, { ...fitArgs, epochs: 4 });

      const firstHalf = loadModelSync(initial);
      await fitModel(firstHalf, x, y, { ...fitArgs, epochs: 2 });
      const midway = tempDir();
      saveModel(firstHalf, midway, { includeOptimizer: true });
      expect(fs.readdirSync(midway).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);
      const resumed = loadModelSync(midway);
      expect(optimizerOf(resumed)!.className).toBe(optimizerOf(firstHalf)!.className);
      await fitModel(resumed, x, y, { ...fitArgs, epochs: 4, initialEpoch: 2 });

      expect(weightsOf(resumed)).toEqual(weightsOf(uninterrupted));

      // Without the optimizer state the moments restart from zero and the run diverges (for stateful optimizers).
      const fresh = loadModelSync(midway, { compile: false });
      compileModel(fresh, { optimizer, loss: 'mse' });
      await fitModel(fresh, x, y, { ...fitArgs, epochs: 4, initialEpoch: 2 });
      expect(weightsOf(fresh)).not.toEqual(weightsOf(uninterrupted));
      tf.dispose([x, y]);
    });
  }

  test('saving without the optimizer removes the optimizer files of an earlier save', async () => {
    setSeed(6);
    const m = new Sequential();
    m.add(layers.simpleRNN({ units: 2, inputShape: [3, 1] }));
    compileModel(m, { optimizer: 'adam', loss: 'mse' });
    const dir = tempDir();
    saveModel(m, dir, { includeOptimizer: true });
    saveModel(m, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  test('a loaded model saved again before it trains keeps the optimizer state it was loaded with', async () => {
    setSeed(7);
    const m = new Sequential();
    m.add(layers.dense({ units: 2, inputShape: [3] }));
    compileModel(m, { optimizer: 'adam', loss: 'mse' });
    const x = tf.ones([4, 3]);
    const y = tf.zeros([4, 2]);
    await fitModel(m, x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const first = tempDir();
    saveModel(m, first, { includeOptimizer: true });
    const again = tempDir();
    saveModel(loadModelSync(first), again, { includeOptimizer: true });
    const state = (dir: string) => {
      const loaded = loadModelSync(dir);
      const names = optimizerOf(loaded)!.getWeightNames();
      const tensors = optimizerOf(loaded)!.getWeights();
      const out = { names, values: tensors.map((t) => Array.from(t.dataSync())) };
      tf.dispose(tensors);
      loaded.dispose();
      return out;
    };
    const saved = state(first);
    // iteration, learning rate and two moments for each of the two weights
    expect(saved.values).toHaveLength(6);
    expect(state(again)).toEqual(saved);
    tf.dispose([x, y]);
  });
});
