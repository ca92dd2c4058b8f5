import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli, startCli } from './cli_process';
import { CORPUS, tempDir, textExperiment, writeJson } from './fixtures';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('resume');
  fs.writeFileSync(path.join(dir, 'corpus.txt'), CORPUS);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Small batches make an epoch long enough (tens of steps) for a signal to land inside the run;
 * dropout makes the run depend on the random stream as well as on the weights. */
function experiment(): Record<string, unknown> {
  const base = textExperiment({ fit: { epochs: 2, batch_size: 8 }, data: { kind: 'text', path: 'corpus.txt', seq_length: 8, step: 3, validation_split: 0.1 } });
  const layers = (base.model as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
  Object.assign(layers[0].config, { dropout: 0.2, recurrent_dropout: 0.1 });
  return base;
}

describe('Ctrl-C and --resume', () => {
  it('an interrupted run resumes to the same final weights as an uninterrupted one', async () => {
    const file = writeJson(dir, 'experiment.json', experiment());
    const full = await runCli(['fit', file, '--out', path.join(dir, 'full')]);
    expect(full.code).toBe(0);

    const child = startCli(['fit', file, '--out', path.join(dir, 'parts')]);
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      // After the first epoch's summary line, interrupt during the second epoch.
      if (!sent && /Epoch 2\/2/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/checkpoint written to .*checkpoint\nresume with: recurrent fit .* --resume/);
    const { state } = JSON.parse(fs.readFileSync(path.join(dir, 'parts', 'checkpoint', 'latest', 'state.json'), 'utf8'));
    // stopped inside the second epoch: the resumption starts mid-epoch, with the same example order
    expect(state.position).toMatchObject({ epoch: 1, batch: expect.any(Number), data: { pass: { seed: expect.any(Number) } }, metrics: expect.any(Array) });
    expect(state.position.batch).toBeGreaterThan(0);
    expect(state.randomStreams).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'parts', 'weights.bin'))).toBe(false);

    const resumed = await runCli(['fit', file, '--out', path.join(dir, 'parts'), '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^resuming .*checkpoint at epoch 2/);

    const a = fs.readFileSync(path.join(dir, 'full', 'weights.bin'));
    const b = fs.readFileSync(path.join(dir, 'parts', 'weights.bin'));
    expect(b.equals(a)).toBe(true);
    const historyA = JSON.parse(fs.readFileSync(path.join(dir, 'full', 'history.json'), 'utf8'));
    const historyB = JSON.parse(fs.readFileSync(path.join(dir, 'parts', 'history.json'), 'utf8'));
    expect(historyB.history.val_loss).toEqual(historyA.history.val_loss);
  });

  it('SIGKILL in the last checkpoint write, in the final save or in the checkpoint removal: --resume completes the run', async () => {
    const file = writeJson(dir, 'killed.json', experiment());
    const reference = path.join(dir, 'kill-reference');
    expect((await runCli(['fit', file, '--out', reference])).code).toBe(0);
    const weights = fs.readFileSync(path.join(reference, 'weights.bin'));

    const out = path.join(dir, 'killed');
    const log = path.join(dir, 'points.log');
    const preload = { NODE_OPTIONS: `--require ${path.join(__dirname, 'kill_at_point.js')}`, RECURRENT_TEST_KILL_UNDER: out };
    expect((await runCli(['fit', file, '--out', out], { env: { ...preload, RECURRENT_TEST_POINTS_LOG: log } })).code).toBe(0);
    const points = fs.readFileSync(log, 'utf8').trim().split('\n');
    const checkpoint = path.join(out, 'checkpoint');
    const chosen = [
      points.lastIndexOf(`renameSync ${path.join(checkpoint, 'latest')}`), // the last checkpoint, between its two renames
      points.findIndex((p) => p === `writeSync ${path.join(out, 'weights.bin')}`), // the final save of the model
      points.lastIndexOf(`renameSync ${checkpoint}`), // setting the checkpoint aside to remove it
    ];
    expect(chosen.every((i) => i >= 0)).toBe(true);
    for (const i of chosen) {
      fs.rmSync(out, { recursive: true, force: true });
      const killed = await runCli(['fit', file, '--out', out], { env: { ...preload, RECURRENT_TEST_KILL_AT: String(i) } });
      expect([points[i], killed.signal]).toEqual([points[i], 'SIGKILL']);
      if (fs.existsSync(checkpoint)) {
        const resumed = await runCli(['fit', file, '--out', out, '--resume']);
        expect([points[i], resumed.code, resumed.stderr]).toEqual([points[i], 0, '']);
      }
      expect(fs.existsSync(checkpoint)).toBe(false);
      expect([points[i], fs.readFileSync(path.join(out, 'weights.bin')).equals(weights)]).toEqual([points[i], true]);
    }
  });

  it('refuses to resume without a checkpoint, and to start over one without --overwrite', async () => {
    const file = writeJson(dir, 'other.json', experiment());
    const none = await runCli(['fit', file, '--out', path.join(dir, 'empty'), '--resume']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to resume/);
    fs.mkdirSync(path.join(dir, 'stale', 'checkpoint', 'latest'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stale', 'checkpoint', 'latest', 'state.json'), '{}');
    const stale = await runCli(['fit', file, '--out', path.join(dir, 'stale'), '--epochs', '1']);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/holds an interrupted run/);
  });
});
