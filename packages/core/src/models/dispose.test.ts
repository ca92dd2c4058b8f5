import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { Sequential } from './sequential';
import { setSeed } from '../engine/random';
import { saveModel } from '../saving/save_model';
import { loadModelSync } from '../saving/load_model';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-dispose-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function model(): Sequential {
  const m = new Sequential();
  m.add(layers.lstm({ units: 3, inputShape: [4, 2] }));
  m.add(layers.dense({ units: 1 }));
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

/** Tensors alive after each of `cycles` runs of `cycle` (the first run may create lasting caches). */
async function tensorsAfterCycles(cycles: number, cycle: () => Promise<void> | void): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < cycles; i++) {
    await cycle();
    counts.push(tf.memory().numTensors);
  }
  return counts;
}

describe('dispose frees the optimizer state with the model', () => {
  beforeAll(() => setSeed(8));
  const x = tf.ones([6, 4, 2]);
  const y = tf.zeros([6, 1]);
  afterAll(() => tf.dispose([x, y]));

  test('build, compile, fit, dispose: no tensor is left per cycle', async () => {
    const counts = await tensorsAfterCycles(5, async () => {
      const m = model();
      await m.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
      expect(m.optimizer!.getWeights().map((t) => t.dispose())).toHaveLength(1 + 1 + 2 * 5);
      m.dispose();
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[counts.length - 1]).toBe(counts[0]);
  });

  test('loading a model with its optimizer state and disposing it: no tensor is left per load', async () => {
    const trained = model();
    await trained.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
    saveModel(trained, dir, { includeOptimizer: true });
    trained.dispose();
    // Disposed right after loading (the restored state waits for the first update) and after training.
    let cycle = 0;
    const counts = await tensorsAfterCycles(6, async () => {
      const loaded = loadModelSync(dir);
      if (cycle++ % 2 === 1) await loaded.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
      loaded.dispose();
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[counts.length - 1]).toBe(counts[0]);
  });
});
