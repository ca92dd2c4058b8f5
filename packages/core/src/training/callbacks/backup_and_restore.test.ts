import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../../models';
import { Dense, Dropout, LSTM } from '../../layers';
import { getSeed, setSeed } from '../../engine/random';
import { BackupAndRestore, readBackupInfo } from './backup_and_restore';
import { Callback } from './callback';
import { CSVLogger } from './csv_logger';
import { EarlyStopping } from './early_stopping';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau';
import type { FitArgs } from '../fit_args';
import type { History } from '../history';
import { FaultInjector, withFaults } from '../__tests__/fs_faults';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-backup-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Sequences whose label is the sign of their sum: LSTM with both dropouts, a Dropout layer, softmax. */
function data(): { x: tf.Tensor; y: tf.Tensor; vx: tf.Tensor; vy: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.randomNormal([50, 6, 2], 0, 1, 'float32', 11);
    const y = x.sum([1, 2]).greater(0).cast('int32');
    const vx = tf.randomNormal([12, 6, 2], 0, 1, 'float32', 12);
    return { x, y, vx, vy: vx.sum([1, 2]).greater(0).cast('int32') };
  });
}

function buildModel(): Sequential {
  setSeed(7);
  const model = new Sequential({
    layers: [new LSTM({ units: 5, dropout: 0.2, recurrentDropout: 0.2, inputShape: [6, 2] }), new Dropout({ rate: 0.3 }), new Dense({ units: 2, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Throws after batch `batch` of epoch `epoch`, as a crash or Ctrl-C would stop the run. */
class Crash extends Callback {
  private epoch = -1;
  constructor(
    private readonly at: { epoch: number; batch: number },
    private readonly where: 'batch' | 'epochEnd' = 'batch',
  ) {
    super();
  }
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  override onTrainBatchEnd(batch: number): void {
    if (this.where === 'batch' && this.epoch === this.at.epoch && batch === this.at.batch) throw new Error('crash');
  }
  override onEpochEnd(epoch: number): void {
    if (this.where === 'epochEnd' && epoch === this.at.epoch) throw new Error('crash');
  }
}

interface Outcome {
  weights: Float32Array[];
  history: History;
  seed: number | null;
  csv: string;
}

async function train(model: Sequential, callbacks: Callback[], args: Partial<FitArgs> = {}): Promise<Outcome> {
  const { x, y, vx, vy } = data();
  try {
    const csv = path.join(dir, 'log.csv');
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      validationData: [vx, vy],
      callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true }), new ReduceLROnPlateau({ patience: 1, factor: 0.5 }), new CSVLogger({ filename: csv }), ...callbacks],
      ...args,
    });
    return { weights: model.getWeights().map((w) => w.dataSync() as Float32Array), history, seed: getSeed(), csv: fs.readFileSync(csv, 'utf8') };
  } finally {
    tf.dispose([x, y, vx, vy]);
  }
}

describe('BackupAndRestore', () => {
  it('resumes a run stopped in the middle of an epoch to the same weights, logs and seed state as an uninterrupted one', async () => {
    const reference = buildModel();
    let before = tf.memory().numTensors;
    const full = await train(reference, []);
    const referenceGrowth = tf.memory().numTensors - before; // the optimizer's slots
    reference.dispose();

    const backupDir = path.join(dir, 'backup');
    const first = buildModel();
    await expect(train(first, [new BackupAndRestore({ backupDir, saveFreq: 1 }), new Crash({ epoch: 1, batch: 2 })])).rejects.toThrow('crash');
    first.dispose();
    // The crash interrupted the end of batch 2, before its backup: the last one is after batch 1.
    expect(readBackupInfo(backupDir)).toMatchObject({ epoch: 1, batch: 2 });

    const second = buildModel();
    before = tf.memory().numTensors;
    const backup = new BackupAndRestore({ backupDir, saveFreq: 1 });
    const resumed = await train(second, [backup]);
    expect(backup.resumedFrom).toMatchObject({ epoch: 1, batch: 2 });
    expect(resumed.weights).toEqual(full.weights);
    expect(resumed.seed).toBe(full.seed);
    // History holds the epochs of this fit (Keras): the resumed second epoch has the full epoch's logs.
    expect(resumed.history.epoch).toEqual([1, 2]);
    expect(resumed.history.history.loss).toEqual(full.history.history.loss.slice(1));
    expect(resumed.history.history.val_accuracy).toEqual(full.history.history.val_accuracy.slice(1));
    expect(resumed.csv).toBe(full.csv);
    // deleteCheckpoint (default): gone after a normal end
    expect(fs.existsSync(backupDir)).toBe(false);
    // Restoring (weights, slots, EarlyStopping's best weights) leaves nothing behind beyond what a run
    // keeps (the weights and the optimizer's variables; an optimizer built by its first update keeps
    // one tensor more than one built for the restore).
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(referenceGrowth);
    expect(tf.memory().numTensors - before).toBeGreaterThanOrEqual(referenceGrowth - 1);
    second.dispose();
  });

  it('resumes after an epoch-end backup, keeps the backup with deleteCheckpoint false, and a finished backup trains no further', async () => {
    const reference = buildModel();
    const full = await train(reference, []);
    reference.dispose();

    const backupDir = path.join(dir, 'backup');
    const first = buildModel();
    await expect(train(first, [new BackupAndRestore({ backupDir }), new Crash({ epoch: 1, batch: 0 }, 'epochEnd')])).rejects.toThrow('crash');
    first.dispose();
    // The crash interrupted the end of epoch 2 before its backup: the last one is epoch 1's.
    expect(readBackupInfo(backupDir)).toMatchObject({ epoch: 1, batch: 0 });

    const second = buildModel();
    const resumed = await train(second, [new BackupAndRestore({ backupDir, deleteCheckpoint: false })]);
    expect(resumed.weights).toEqual(full.weights);
    expect(resumed.history.epoch).toEqual([1, 2]);
    expect(readBackupInfo(backupDir)).toMatchObject({ epoch: 3, batch: 0 });
    second.dispose();

    const third = buildModel();
    const again = await train(third, [new BackupAndRestore({ backupDir, deleteCheckpoint: false })]);
    expect(again.history.epoch).toEqual([]);
    expect(again.weights).toEqual(full.weights);
    third.dispose();
  });

  it('refuses to restore into another model or with other callbacks, naming the file', async () => {
    const backupDir = path.join(dir, 'backup');
    const first = buildModel();
    await expect(train(first, [new BackupAndRestore({ backupDir, saveFreq: 2 }), new Crash({ epoch: 0, batch: 3 })])).rejects.toThrow('crash');
    first.dispose();

    setSeed(7);
    const other = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [6, 2] }), new Dense({ units: 2, activation: 'softmax' })] });
    other.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await expect(train(other, [new BackupAndRestore({ backupDir })])).rejects.toThrow(/latest\/state\.json: .*another model/);
    other.dispose();

    const fewer = buildModel();
    const { x, y } = data();
    await expect(fewer.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [new BackupAndRestore({ backupDir })] })).rejects.toThrow(
      /state\.json: the backup holds the state of the callbacks EarlyStopping, ReduceLROnPlateau, CSVLogger, but this fit has none/,
    );
    tf.dispose([x, y]);
    fewer.dispose();
  });

  it('a kill at any point of a backup write or of its deletion resumes to the weights of an uninterrupted run', async () => {
    const reference = buildModel();
    const args = { epochs: 2, batchSize: 20 };
    const full = await train(reference, [], args);
    reference.dispose();
    const backupDir = path.join(dir, 'backup');
    const inBackup = (file: string) => file.startsWith(backupDir);
    const clean = () => {
      for (const name of fs.readdirSync(dir)) if (name.startsWith('backup')) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    };

    // Number the points of a whole run; take those of its second backup (the first to replace one) and of the deletion.
    const counting = buildModel();
    const counter = new FaultInjector(null, inBackup);
    await withFaults(counter, () => train(counting, [new BackupAndRestore({ backupDir, saveFreq: 1 })], args));
    counting.dispose();
    const writes = counter.points.flatMap((p, i) => (p === `mkdirSync ${backupDir}` ? [i] : []));
    expect(writes.length).toBe(6); // 3 batches per epoch, 2 epochs
    const deletion = counter.points.findIndex((p) => p === `renameSync ${backupDir}`);
    const chosen = [...range(writes[1], writes[2]), ...range(deletion, counter.points.length)];
    expect(chosen.length).toBeGreaterThan(15);

    for (const i of chosen) {
      clean();
      const killed = buildModel();
      const fired = await withFaults(new FaultInjector(i, inBackup), () => train(killed, [new BackupAndRestore({ backupDir, saveFreq: 1 })], args));
      killed.dispose();
      expect([counter.points[i], fired]).toEqual([counter.points[i], true]);
      const resumedModel = buildModel();
      const resumed = await train(resumedModel, [new BackupAndRestore({ backupDir, saveFreq: 1 })], args);
      resumedModel.dispose();
      expect([counter.points[i], resumed.weights]).toEqual([counter.points[i], full.weights]);
      expect(fs.existsSync(backupDir)).toBe(false);
    }
  });

  it('checks its arguments', () => {
    expect(() => new BackupAndRestore({ backupDir: '' })).toThrow(/backupDir/);
    expect(() => new BackupAndRestore({ backupDir: dir, saveFreq: 0 })).toThrow(/saveFreq must be 'epoch' or a positive integer/);
  });
});
