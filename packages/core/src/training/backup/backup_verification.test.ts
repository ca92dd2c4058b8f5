import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../../models';
import { Dense } from '../../layers';
import { setSeed } from '../../engine/random';
import { BackupAndRestore, readBackupInfo } from '../callbacks/backup_and_restore';
import { Callback } from '../callbacks/callback';
import { stateFileText, type BackupState } from './backup_manifest';

let dir: string;
let backupDir: string;
let latest: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-verify-'));
  backupDir = path.join(dir, 'backup');
  latest = path.join(backupDir, 'latest');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function model(): Sequential {
  setSeed(3);
  const m = new Sequential({ layers: [new Dense({ units: 3, inputShape: [4], activation: 'tanh' }), new Dense({ units: 1 })] });
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

const x = () => tf.tidy(() => tf.randomNormal([40, 4], 0, 1, 'float32', 1));
const y = () => tf.tidy(() => tf.randomNormal([40, 1], 0, 1, 'float32', 2));

/** A backup taken after batch 2 of epoch 1 of a run with 5 batches per epoch. */
async function interruptedRun(): Promise<void> {
  fs.rmSync(backupDir, { recursive: true, force: true });
  const m = model();
  const [xs, ys] = [x(), y()];
  const stop = new (class extends Callback {
    override onTrainBatchEnd(batch: number): void {
      if (this.run!.epoch === 1 && batch === 2) throw new Error('stop');
    }
  })();
  await expect(m.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [new BackupAndRestore({ backupDir, saveFreq: 1 }), stop] })).rejects.toThrow('stop');
  tf.dispose([xs, ys]);
  m.dispose();
}

async function resume(): Promise<void> {
  const m = model();
  const [xs, ys] = [x(), y()];
  try {
    await m.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [new BackupAndRestore({ backupDir })] });
  } finally {
    tf.dispose([xs, ys]);
    m.dispose();
  }
}

function readState(): BackupState {
  return (JSON.parse(fs.readFileSync(path.join(latest, 'state.json'), 'utf8')) as { state: BackupState }).state;
}

/** Edits the state and writes it back with a matching checksum: only the range checks stand in the way. */
function rewrite(edit: (state: BackupState) => void): void {
  const state = readState();
  edit(state);
  fs.writeFileSync(path.join(latest, 'state.json'), stateFileText(state));
}

describe('backup verification', () => {
  beforeEach(interruptedRun);

  it('resumes an intact backup', async () => {
    expect(readBackupInfo(backupDir)).toMatchObject({ epoch: 1, batch: 2 });
    await resume();
    expect(fs.existsSync(backupDir)).toBe(false);
  });

  it('refuses a truncated or altered binary file, naming it', async () => {
    const weights = path.join(latest, 'weights.bin');
    fs.truncateSync(weights, 100);
    await expect(resume()).rejects.toThrow(/latest\/weights\.bin has 100 bytes, but the backup recorded \d+: it was truncated or replaced/);
    expect(() => readBackupInfo(backupDir)).toThrow(/weights\.bin has 100 bytes/);
  });

  it('refuses a file whose bytes changed but not its size', async () => {
    const optimizer = path.join(latest, 'optimizer.bin');
    const data = fs.readFileSync(optimizer);
    data[data.length - 1] ^= 1;
    fs.writeFileSync(optimizer, data);
    await expect(resume()).rejects.toThrow(/latest\/optimizer\.bin does not match its SHA-256 in state\.json/);
  });

  it('refuses an edited state.json whose checksum no longer matches', async () => {
    const file = path.join(latest, 'state.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"batch":2', '"batch":3'));
    await expect(resume()).rejects.toThrow(/state\.json: the state does not match its SHA-256/);
  });

  it('refuses out-of-range numbers even with a matching checksum', async () => {
    rewrite((s) => (s.files['weights.bin'].tensors[1].offset = -100));
    await expect(resume()).rejects.toThrow(/state\.json: state\.files\.weights\.bin\.tensors\.1\.offset: Too small/);
    await interruptedRun();
    rewrite((s) => (s.position.epoch = -3));
    await expect(resume()).rejects.toThrow(/state\.position\.epoch: Too small/);
    await interruptedRun();
    rewrite((s) => (s.position.batch = 1e9));
    await expect(resume()).rejects.toThrow(/state\.json: the run stopped after batch 1000000000 of an epoch, but an epoch has 5 batches here/);
    await interruptedRun();
    rewrite((s) => (s.files['weights.bin'].tensors[0].length += 4));
    await expect(resume()).rejects.toThrow(/state\.files\.weights\.bin: tensor 0 .* has \d+ bytes, but its shape \[4,3\] needs 48/);
    await interruptedRun();
    rewrite((s) => (s.position.data!.numSamples = 41));
    await expect(resume()).rejects.toThrow(/state\.json: the data position belongs to 41 samples in batches of 8, but fit has 40 samples/);
  });

  it('refuses a state.json that is not a regular file or not JSON', async () => {
    const file = path.join(latest, 'state.json');
    fs.writeFileSync(file, '{"format": "recurrent-backup", "vers');
    await expect(resume()).rejects.toThrow(/latest\/state\.json is not valid JSON/);
    fs.rmSync(file);
    fs.mkdirSync(file);
    await expect(resume()).rejects.toThrow(/latest\/state\.json: the backup file is a folder, not a file/);
  });
});
