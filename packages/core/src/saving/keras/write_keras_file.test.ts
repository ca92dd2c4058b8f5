/**
 * A .keras save is one atomic step, like a folder's (model_folder.test.ts): a kill at any write, flush or
 * rename leaves the earlier file or the new one, and the next save leaves nothing of the killed one behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../../engine/random';
import { layers } from '../../layers';
import type { Model } from '../../models/model';
import { Sequential } from '../../models/sequential';
import { FaultInjector, withFaults } from '../../training/__tests__/fs_faults';
import { loadModel } from '../load_model';
import { saveModel } from '../save_model';
import { temporaryFolders } from '../__tests__/temp_dirs';

const tempDir = temporaryFolders('recurrent-keras-save-');

function smallModel(seed: number): Model {
  setSeed(seed);
  const m = new Sequential({ name: 'small' });
  m.add(layers.gru({ units: 3, inputShape: [4, 2], name: 'gru' }));
  m.add(layers.dense({ units: 2, name: 'dense' }));
  return m;
}

function weightValues(model: Model): number[][] {
  const tensors = model.getWeights();
  const out = tensors.map((t) => Array.from(t.dataSync()));
  tf.dispose(tensors);
  return out;
}

/** The weights the file loads with, or null when there is no file. */
async function loaded(file: string): Promise<number[][] | null> {
  if (!fs.existsSync(file)) return null;
  const model = await loadModel(file);
  try {
    return weightValues(model);
  } finally {
    model.dispose();
  }
}

describe('saveModel to .keras is one atomic step', () => {
  const before = smallModel(1);
  const after = smallModel(2);
  const next = smallModel(3);

  for (const existing of [false, true]) {
    test(`${existing ? 'over an earlier file' : 'a first save'}: a kill at any write, flush or rename leaves the old file or the new one`, async () => {
      const dir = tempDir();
      const file = path.join(dir, 'model.keras');
      const inDir = (target: string) => target.startsWith(dir);
      const reset = async () => {
        fs.rmSync(file, { force: true });
        for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { force: true });
        if (existing) await saveModel(before, file);
      };
      await reset();
      const counter = new FaultInjector(null, inDir);
      await withFaults(counter, () => saveModel(after, file));
      const points = counter.points;
      expect(points.filter((p) => p.startsWith('renameSync')).length).toBe(1);
      expect(points.filter((p) => p.startsWith('fsyncSync')).length).toBeGreaterThanOrEqual(2);
      const old = existing ? weightValues(before) : null;
      const updated = weightValues(after);
      const outcomes = new Set<string>();
      for (let i = 0; i < points.length; i++) {
        await reset();
        const fired = await withFaults(new FaultInjector(i, inDir), () => saveModel(after, file));
        expect([points[i], fired]).toEqual([points[i], true]);
        const found = JSON.stringify(await loaded(file));
        const which = found === JSON.stringify(old) ? 'old' : found === JSON.stringify(updated) ? 'new' : 'neither';
        expect([points[i], which]).toEqual([points[i], expect.stringMatching(/^(old|new)$/)]);
        outcomes.add(which);
        // The next save succeeds and removes the temporary the killed one may have left.
        await saveModel(next, file);
        expect(fs.readdirSync(dir)).toEqual(['model.keras']);
        expect(await loaded(file)).toEqual(weightValues(next));
      }
      expect([...outcomes].sort()).toEqual(['new', 'old']);
    });
  }

  test('a folder or a link where the file should be is a clear error, and the target is left as it was', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'taken.keras'));
    await expect(saveModel(before, path.join(dir, 'taken.keras'))).rejects.toThrow(/saveModel: cannot write .*taken\.keras: it is a folder; choose another path, or remove it first/);
    fs.symlinkSync('/dev/null', path.join(dir, 'device.keras'));
    await expect(saveModel(before, path.join(dir, 'device.keras'))).rejects.toThrow(/it is not a regular file \(a link or a device\)/);
    expect(fs.readdirSync(dir).sort()).toEqual(['device.keras', 'taken.keras']);
  });
});
