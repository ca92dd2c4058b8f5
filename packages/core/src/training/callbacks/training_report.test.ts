import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../../models';
import { Dense, Embedding, Flatten } from '../../layers';
import { setSeed } from '../../engine/random';
import { Tokenizer } from '../../data/tokenizer';
import { BackupAndRestore } from './backup_and_restore';
import { Callback } from './callback';
import { TextSampler, type TextSample } from './text_sampler';
import { TrainingReport } from './training_report';
import type { TrainingLog } from '../report/training_log';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-report-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const tokenizer = new Tokenizer({ level: 'char' }).fitOnTexts(['abcd']);
const V = tokenizer.vocabularySize;

/** Next-character model over windows of 3 ids of "abcdabcd...". */
function model(): Sequential {
  setSeed(2);
  const m = new Sequential({ layers: [new Embedding({ inputDim: V, outputDim: 4, inputShape: [3] }), new Flatten(), new Dense({ units: V, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

function data(): { x: tf.Tensor; y: tf.Tensor } {
  const ids = tokenizer.textToSequence('abcd'.repeat(10));
  const windows = Array.from({ length: ids.length - 3 }, (_, i) => ids.slice(i, i + 3));
  return { x: tf.tensor2d(windows, undefined, 'int32'), y: tf.tensor1d(windows.map((_, i) => ids[i + 3]), 'int32') };
}

class CrashAt extends Callback {
  constructor(private readonly epoch: number, private readonly batch: number) {
    super();
  }
  override onTrainBatchEnd(batch: number): void {
    if (this.run!.epoch === this.epoch && batch === this.batch) throw new Error('crash');
  }
}

async function train(extra: Callback[], printed: string[]): Promise<TrainingLog> {
  const m = model();
  const { x, y } = data();
  const report = new TrainingReport({ dir, title: 'chars', facts: () => [['seed', '2']], summary: 'the model' });
  const sampler = new TextSampler({ tokenizer, seqLength: 3, prime: 'ab', length: 6, temperatures: [0, 1], seed: 4, print: (t) => printed.push(t), onSample: (s: TextSample) => report.addSample(s) });
  try {
    await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [sampler, report, ...extra] });
    return report.log;
  } finally {
    tf.dispose([x, y]);
    m.dispose();
  }
}

describe('TrainingReport and TextSampler', () => {
  it('print samples after each epoch and write the history, the charts and the report', async () => {
    const printed: string[] = [];
    const log = await train([], printed);
    expect(log.epoch).toEqual([1, 2, 3]);
    expect(log.seconds).toHaveLength(3);
    expect(log.samples?.map((s) => [s.epoch, s.temperature, s.prime, s.text.length])).toEqual([
      [1, 0, 'ab', 6],
      [1, 1, 'ab', 6],
      [2, 0, 'ab', 6],
      [2, 1, 'ab', 6],
      [3, 0, 'ab', 6],
      [3, 1, 'ab', 6],
    ]);
    expect(printed.join('')).toContain('--- sample after epoch 3, temperature 1 ---\nab');
    const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8')) as TrainingLog;
    expect(history).toEqual(JSON.parse(JSON.stringify(log)));
    expect(fs.readFileSync(path.join(dir, 'history.csv'), 'utf8').split('\n')[0]).toBe('epoch,loss,accuracy,seconds');
    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<title>chars</title>');
    expect(html).toContain('the model');
    expect(fs.readdirSync(path.join(dir, 'plots')).sort()).toEqual(['accuracy.svg', 'loss.svg']);
  });

  it('carry their record through a backup: a resumed run reports and samples every epoch as an uninterrupted one', async () => {
    const full = await train([], []);
    const backupDir = path.join(dir, 'backup');
    await expect(train([new BackupAndRestore({ backupDir, saveFreq: 2 }), new CrashAt(1, 2)], [])).rejects.toThrow('crash');
    const printed: string[] = [];
    const resumed = await train([new BackupAndRestore({ backupDir })], printed);
    expect(resumed.epoch).toEqual(full.epoch);
    expect(resumed.history).toEqual(full.history);
    expect(resumed.samples).toEqual(full.samples);
    // this run printed the samples of epochs 2 and 3 only
    expect(printed.join('')).not.toContain('after epoch 1,');
    expect(printed.join('')).toContain('after epoch 2,');
  });
});
