// Backing up training and resuming it after a crash, exactly; a report of the run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackupAndRestore, Callback, Dense, GRU, Sequential, TrainingReport, setSeed } from '@recurrent/core';

/** Stands for a crash (or Ctrl-C) in the middle of the second epoch. */
class PowerCut extends Callback {
  override onTrainBatchEnd(batch: number): void {
    if (this.run?.epoch === 1 && batch === 3) throw new Error('power cut');
  }
}

export async function main(): Promise<{ sameWeights: boolean; files: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-'));
  const x = tf.randomNormal([256, 20, 1], 0, 1, 'float32', 1);
  const y = tf.mean(x, 1);
  const build = () => {
    setSeed(1);
    const m = new Sequential({ layers: [new GRU({ units: 8, dropout: 0.1, inputShape: [20, 1] }), new Dense({ units: 1 })] });
    m.compile({ optimizer: 'adam', loss: 'mse' });
    return m;
  };
  const fit = (m: Sequential, ...callbacks: Callback[]) =>
    m.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, callbacks: [new TrainingReport({ dir: path.join(dir, 'report') }), ...callbacks] });

  const uninterrupted = build();
  await fit(uninterrupted);

  // Backed up after every batch (saveFreq: 'epoch' backs up after every epoch), then cut short.
  const backupDir = path.join(dir, 'backup');
  await fit(build(), new BackupAndRestore({ backupDir, saveFreq: 1 }), new PowerCut()).catch((e: Error) => console.log(`stopped: ${e.message}`));

  // The same fit again: the backup is restored and training continues after the last batch it holds,
  // with the same data order, dropout masks and optimizer state. The backup is deleted at the end.
  const resumed = build();
  await fit(resumed, new BackupAndRestore({ backupDir, saveFreq: 1 }));

  const a = uninterrupted.getWeights().map((w) => Array.from(w.dataSync()));
  const b = resumed.getWeights().map((w) => Array.from(w.dataSync()));
  const sameWeights = JSON.stringify(a) === JSON.stringify(b);
  console.log(`same weights as the uninterrupted run: ${sameWeights}`); // true
  const files = fs.readdirSync(path.join(dir, 'report')).sort();
  console.log(files.join(', ')); // history.csv, history.json, plots, report.html
  tf.dispose([x, y]);
  uninterrupted.dispose();
  resumed.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  return { sameWeights, files };
}

if (require.main === module) main();
