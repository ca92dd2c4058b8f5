import * as fs from 'fs';
import * as path from 'path';
import { loadModelSync } from '@recurrent/core';
import { FaultInjector, withFaults } from '../../../core/src/training/__tests__/fs_faults';
import { CORPUS, tempDir, textExperiment, writeJson } from '../e2e/fixtures';
import { run } from '../main';

/**
 * A kill at any point where `recurrent fit` changes the disk at the end of a run (the last epoch's
 * checkpoint, the report, the model, the preprocessing state, the checkpoint's removal) leaves a folder
 * that either resumes (and `--resume` completes the run) or holds the complete, loadable result.
 */
let dir: string;
let file: string;
beforeAll(() => {
  dir = tempDir('crash');
  fs.writeFileSync(path.join(dir, 'corpus.txt'), CORPUS);
  file = writeJson(dir, 'experiment.json', textExperiment({ fit: { epochs: 2, batch_size: 32, verbose: 0 }, data: { kind: 'text', path: 'corpus.txt', seq_length: 6, step: 3, limit: 500, validation_split: 0.1 } }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function fit(out: string, ...flags: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const write = (t: string) => void (text += t);
  const code = await run(['fit', file, '--out', out, ...flags], { out: write, err: write, interactive: false });
  return { code, text };
}

function history(out: string): unknown {
  return (JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8')) as { history: unknown }).history;
}

describe('recurrent fit under a kill at the end of training', () => {
  it('resumes or holds the result, at every point of the last checkpoint and of the final save', async () => {
    const reference = path.join(dir, 'reference');
    expect((await fit(reference)).code).toBe(0);
    const weights = fs.readFileSync(path.join(reference, 'weights.bin'));

    const out = path.join(dir, 'out');
    const inOut = (f: string) => f.startsWith(out);
    const counter = new FaultInjector(null, inOut);
    await withFaults(counter, () => fit(out));
    const lastCheckpoint = counter.points.lastIndexOf(`mkdirSync ${path.join(out, 'checkpoint')}`);
    const report = counter.points.findIndex((p) => p.includes(`${out}/plots`));
    expect(lastCheckpoint).toBeGreaterThan(0);
    expect(report).toBeGreaterThan(lastCheckpoint);
    const points = counter.points.length - lastCheckpoint;
    expect(points).toBeGreaterThan(40);

    const outcomes = new Set<string>();
    for (let i = lastCheckpoint; i < counter.points.length; i++) {
      fs.rmSync(out, { recursive: true, force: true });
      const fired = await withFaults(new FaultInjector(i, inOut), () => fit(out));
      expect([counter.points[i], fired]).toEqual([counter.points[i], true]);
      const point = counter.points[i];
      if (fs.existsSync(path.join(out, 'checkpoint'))) {
        const resumed = await fit(out, '--resume');
        expect([point, resumed.code, resumed.text]).toEqual([point, 0, expect.stringMatching(/^resuming .*checkpoint(: training had finished; writing the results| at epoch 2)\n/)]);
        outcomes.add(resumed.text.includes('training had finished') ? 'final save completed' : 'last epoch trained again');
      } else {
        outcomes.add('complete');
      }
      expect(fs.existsSync(path.join(out, 'checkpoint'))).toBe(false);
      expect([point, fs.readFileSync(path.join(out, 'weights.bin')).equals(weights)]).toEqual([point, true]);
      expect(history(out)).toEqual(history(reference));
      loadModelSync(out).dispose();
    }
    // every case was met: the kill before the last checkpoint, after it, and after the final save
    expect([...outcomes].sort()).toEqual(['complete', 'final save completed', 'last epoch trained again']);
  });

  it('refuses a damaged checkpoint with exit 2, naming the file', async () => {
    const out = path.join(dir, 'damaged');
    // A run killed as it saves the model leaves its checkpoint (training finished) behind.
    const stop = new FaultInjector(null, (f) => f.startsWith(out));
    await withFaults(stop, () => fit(out));
    const modelWrite = stop.points.findIndex((p) => p.startsWith(`openSync ${path.join(out, '.model.json')}`));
    fs.rmSync(out, { recursive: true, force: true });
    expect(await withFaults(new FaultInjector(modelWrite, (f) => f.startsWith(out)), () => fit(out))).toBe(true);
    const latest = path.join(out, 'checkpoint', 'latest');
    const state = fs.readFileSync(path.join(latest, 'state.json'), 'utf8');

    fs.writeFileSync(path.join(latest, 'state.json'), state.replace('"batch":0,"data"', '"batch":1000000000,"data"'));
    let result = await fit(out, '--resume');
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/error: the checkpoint cannot be used: .*checkpoint\/latest\/state\.json: the state does not match its SHA-256.*\n {2}fix: start again with --overwrite/s);

    fs.writeFileSync(path.join(latest, 'state.json'), state);
    fs.truncateSync(path.join(latest, 'weights.bin'), 100);
    result = await fit(out, '--resume');
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/checkpoint\/latest\/weights\.bin has 100 bytes, but the backup recorded \d+: it was truncated or replaced/);

    // --overwrite starts again and removes it
    expect((await fit(out, '--overwrite')).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'checkpoint'))).toBe(false);
  });
});
