import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { layers } from '../layers';
import { Sequential } from '../models/sequential';
import type { Model } from '../models/model';
import { setSeed } from '../engine/random';
import { compileModel, optimizerOf } from '../training/compile_args';
import { FaultInjector, countPoints, withFaults } from '../training/__tests__/fs_faults';
import { saveModel } from './save_model';
import { loadModelSync } from './load_model';

let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-folder-'))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** What identifies a saved model: its weights and its optimizer's state (null when none was saved). */
interface Fingerprint {
  weights: number[][];
  optimizer: number[][] | null;
}

function values(tensors: tf.Tensor[]): number[][] {
  const out = tensors.map((t) => Array.from(t.dataSync()));
  tf.dispose(tensors);
  return out;
}

function fingerprint(model: Model, withOptimizer: boolean): Fingerprint {
  const optimizer = optimizerOf(model);
  return { weights: values(model.getWeights()), optimizer: withOptimizer && optimizer ? values(optimizer.getWeights()) : null };
}

/** A small trained model: different seeds give different weights and optimizer states. */
function trainedModel(seed: number): Model {
  setSeed(seed);
  const model = new Sequential({ name: 'folder' });
  model.add(layers.dense({ units: 3, inputShape: [4], name: 'dense' }));
  model.add(layers.dense({ units: 2, name: 'out' }));
  compileModel(model, { optimizer: 'adam', loss: 'mse' });
  const x = tf.randomNormal([5, 4], 0, 1, 'float32', seed);
  const y = tf.randomNormal([5, 2], 0, 1, 'float32', seed + 1);
  model.trainOnBatch(x, y);
  tf.dispose([x, y]);
  return model;
}

/** What the folder loads as now: a fingerprint, or null when it holds no model. */
function loaded(dir: string): Fingerprint | null {
  if (!fs.existsSync(path.join(dir, 'model.json'))) return null;
  const model = loadModelSync(dir);
  try {
    const hasOptimizerState = /optimizer(\.next)?\.json/.test(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    return fingerprint(model, hasOptimizerState);
  } finally {
    model.dispose();
  }
}

interface Save {
  model: Model;
  includeOptimizer: boolean;
}

function save(dir: string, s: Save): void {
  saveModel(s.model, dir, { includeOptimizer: s.includeOptimizer });
}

describe('a save is one atomic step', () => {
  const a = trainedModel(1);
  const b = trainedModel(2);
  const c = trainedModel(3);
  const scenarios: { name: string; before: Save | null; after: Save }[] = [
    { name: 'first save into an empty folder', before: null, after: { model: a, includeOptimizer: true } },
    { name: 'a save with optimizer over one without', before: { model: a, includeOptimizer: false }, after: { model: b, includeOptimizer: true } },
    { name: 'a save without optimizer over one with', before: { model: a, includeOptimizer: true }, after: { model: b, includeOptimizer: false } },
    { name: 'a save with optimizer over one with', before: { model: a, includeOptimizer: true }, after: { model: b, includeOptimizer: true } },
  ];
  const expected = (s: Save | null) => (s === null ? null : fingerprint(s.model, s.includeOptimizer));

  for (const s of scenarios) {
    test(`${s.name}: a kill at any write, flush, link, rename or removal leaves the old model or the new one`, async () => {
      const dir = path.join(root, 'model');
      const reset = () => {
        fs.rmSync(dir, { recursive: true, force: true });
        if (s.before) save(dir, s.before);
      };
      reset();
      const all = countPoints(() => save(dir, s.after));
      // Every file written, flushed and renamed is a point (model.json twice when the usual names were in use).
      expect(all.filter((p) => p.startsWith('renameSync')).length).toBeGreaterThanOrEqual(1);
      expect(all.filter((p) => p.startsWith('fsyncSync')).length).toBeGreaterThanOrEqual(2);
      const old = expected(s.before);
      const updated = expected(s.after);
      const outcomes = new Set<string>();
      for (let i = 0; i < all.length; i++) {
        reset();
        const fired = await withFaults(new FaultInjector(i), () => save(dir, s.after));
        expect([all[i], fired]).toEqual([all[i], true]);
        const found = loaded(dir);
        const which = JSON.stringify(found) === JSON.stringify(old) ? 'old' : JSON.stringify(found) === JSON.stringify(updated) ? 'new' : 'neither';
        expect([all[i], which]).not.toEqual([all[i], 'neither']);
        outcomes.add(which);
        // The next save succeeds and leaves nothing of the interrupted one behind.
        save(dir, { model: c, includeOptimizer: false });
        expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
        expect(loaded(dir)).toEqual(expected({ model: c, includeOptimizer: false }));
      }
      // Kills early in the save leave the old model; kills after its commit, the new one.
      expect([...outcomes].sort()).toEqual(['new', 'old']);
    });
  }

  test('files end under their usual names, and stale temporaries of earlier saves are removed', () => {
    const dir = path.join(root, 'model');
    save(dir, { model: a, includeOptimizer: true });
    save(dir, { model: b, includeOptimizer: true });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);
    expect(loaded(dir)).toEqual(expected({ model: b, includeOptimizer: true }));
    // What killed saves of earlier versions left: temporaries beside the files.
    fs.writeFileSync(path.join(dir, '.weights.bin.tmp-123-abcd'), 'partial');
    fs.writeFileSync(path.join(dir, '.model.json.tmp-123-abcd'), '{');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    save(dir, { model: c, includeOptimizer: false });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'notes.txt', 'weights.bin']);
  });

  test('a folder left committed under the staging names loads, and the next save goes back to the usual names', async () => {
    const dir = path.join(root, 'model');
    save(dir, { model: a, includeOptimizer: true });
    // A kill right after the first commit of a replacing save: model.json names weights.next.bin.
    const all = countPoints(() => save(dir, { model: b, includeOptimizer: true }));
    const afterFirstCommit = all.findIndex((p) => /^renameSync .*\.model\.json\.tmp-/.test(p)) + 1;
    fs.rmSync(dir, { recursive: true, force: true });
    save(dir, { model: a, includeOptimizer: true });
    await withFaults(new FaultInjector(afterFirstCommit), () => save(dir, { model: b, includeOptimizer: true }));
    expect(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).toContain('weights.next.bin');
    expect(loaded(dir)).toEqual(expected({ model: b, includeOptimizer: true }));
    save(dir, { model: c, includeOptimizer: true });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);
    expect(loaded(dir)).toEqual(expected({ model: c, includeOptimizer: true }));
  });

  test('a file where the folder should be, or a folder named model.json, is a clear error', () => {
    const file = path.join(root, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => save(file, { model: a, includeOptimizer: false })).toThrow(/saveModel: cannot save into .*file: it is a file, not a folder/);
    const dir = path.join(root, 'model');
    fs.mkdirSync(path.join(dir, 'model.json'), { recursive: true });
    expect(() => save(dir, { model: a, includeOptimizer: false })).toThrow(/its model\.json is not a regular file/);
  });
});
