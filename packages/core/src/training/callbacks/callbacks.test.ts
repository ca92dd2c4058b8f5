import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { compileModel } from '../compile_args';
import { fitModel } from '../fit';
import { SGD } from '../optimizers/sgd';
import { ExponentialDecay } from '../optimizers/schedules';
import { Callback } from './callback';
import { EarlyStopping } from './early_stopping';
import { ModelCheckpoint } from './model_checkpoint';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau';
import { LearningRateScheduler } from './learning_rate_scheduler';
import { CSVLogger } from './csv_logger';
import { TerminateOnNaN } from './terminate_on_nan';
import { formatFilepath } from './format_filepath';
import { LinearModel } from '../__tests__/fake_models';
import type { Logs } from '../logs';

const quiet = () => {};

function compiledModel(metrics: string[] = []): LinearModel {
  const model = new LinearModel([[1]], [0]);
  compileModel(model, { optimizer: new SGD({ learningRate: 1 }), loss: 'mse', metrics });
  return model;
}

/** Feeds scripted values of `key` to a callback epoch by epoch; returns the epoch where training was stopped, or null. */
async function drive(cb: Callback, model: LinearModel, key: string, values: number[]): Promise<number | null> {
  cb.setModel(model);
  model.stopTraining = false;
  await cb.onTrainBegin({});
  let stopped: number | null = null;
  for (let epoch = 0; epoch < values.length; epoch++) {
    await cb.onEpochBegin(epoch, {});
    await cb.onEpochEnd(epoch, { loss: 0, [key]: values[epoch] });
    if (model.stopTraining) {
      stopped = epoch;
      break;
    }
  }
  await cb.onTrainEnd({});
  return stopped;
}

/** Overwrites a log entry with scripted values inside a real fit (placed before the callback under test). */
class Script extends Callback {
  constructor(
    private readonly key: string,
    private readonly values: number[],
  ) {
    super();
  }
  override onEpochEnd(epoch: number, logs: Logs) {
    logs[this.key] = this.values[epoch];
  }
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement', async () => {
    const model = compiledModel();
    expect(await drive(new EarlyStopping({ patience: 2 }), model, 'val_loss', [1, 0.9, 0.95, 0.92, 0.91])).toBe(3);
    expect(await drive(new EarlyStopping({ patience: 0 }), model, 'val_loss', [1, 0.9, 0.95])).toBe(2);
    model.dispose();
  });

  it('minDelta: only improvements larger than it count', async () => {
    const model = compiledModel();
    // 0.97 and 0.95 are within 0.05 of the best (1.0); 0.94 is not.
    expect(await drive(new EarlyStopping({ patience: 2, minDelta: 0.05 }), model, 'val_loss', [1, 0.97, 0.95, 0.94])).toBe(2);
    expect(await drive(new EarlyStopping({ patience: 2, minDelta: 0.05 }), model, 'val_loss', [1, 0.97, 0.94, 0.93, 0.93, 0.93])).toBe(4);
    model.dispose();
  });

  it("mode 'auto' maximises accuracy metrics (their direction) and 'max' can be forced", async () => {
    const model = compiledModel(['acc']);
    expect(await drive(new EarlyStopping({ monitor: 'val_acc', patience: 1 }), model, 'val_acc', [0.5, 0.6, 0.7, 0.65])).toBe(3);
    expect(await drive(new EarlyStopping({ monitor: 'custom', mode: 'max', patience: 1 }), model, 'custom', [1, 2, 1])).toBe(2);
    const unknown = new EarlyStopping({ monitor: 'custom' });
    await expect(drive(unknown, model, 'custom', [1, 2])).rejects.toThrow(/mode: 'max' or mode: 'min'/);
    model.dispose();
  });

  it('a baseline that is never beaten stops training even while the value improves slowly', async () => {
    const model = compiledModel();
    expect(await drive(new EarlyStopping({ patience: 2, baseline: 0.5 }), model, 'val_loss', [0.8, 0.8, 0.8, 0.8])).toBe(1);
    expect(await drive(new EarlyStopping({ patience: 2 }), model, 'val_loss', [0.8, 0.8, 0.8, 0.8])).toBe(2);
    expect(await drive(new EarlyStopping({ patience: 1, startFromEpoch: 3 }), model, 'val_loss', [1, 2, 3, 3, 3])).toBe(4);
    model.dispose();
  });

  it('restoreBestWeights puts back the weights of the best epoch', async () => {
    const model = compiledModel();
    const es = new EarlyStopping({ patience: 1, restoreBestWeights: true, verbose: 1, print: quiet });
    es.setModel(model);
    es.onTrainBegin();
    model.kernel.val.assign(tf.tensor2d([[7]]));
    es.onEpochEnd(0, { val_loss: 0.5 });
    model.kernel.val.assign(tf.tensor2d([[9]]));
    es.onEpochEnd(1, { val_loss: 0.6 });
    expect(model.stopTraining).toBe(true);
    es.onTrainEnd();
    expect(model.kernel.val.dataSync()[0]).toBe(7);
    expect(es.bestEpoch).toBe(0);
    model.dispose();
  });

  it('stops a real fit at the right epoch', async () => {
    const model = compiledModel();
    const h = await fitModel(model, [[1]], [[1]], {
      epochs: 10,
      verbose: 0,
      callbacks: [new Script('val_loss', [3, 2, 2.5, 2.2, 2.1, 1]), new EarlyStopping({ patience: 3 })],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3, 4]);
    model.dispose();
  });
});

describe('ModelCheckpoint', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A saver that writes a directory holding the epoch it was called for. */
  function recordingSaver(calls: { target: string; weightsOnly: boolean }[], epochRef: { epoch: number }) {
    return (_model: unknown, target: string, opts: { weightsOnly: boolean }) => {
      calls.push({ target, weightsOnly: opts.weightsOnly });
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'epoch.txt'), String(epochRef.epoch));
    };
  }

  it('formats {epoch} (1-based) and log values into the path', () => {
    expect(formatFilepath('m/ep{epoch:02d}-{val_loss:.3f}', 4, { val_loss: 0.12345 })).toBe('m/ep05-0.123');
    expect(formatFilepath('w-{loss:.2e}-{epoch}', 0, { loss: 0.000123 })).toBe('w-1.23e-04-1');
    expect(() => formatFilepath('m-{acc}', 0, { loss: 1 })).toThrow(/refers to \{acc\}, which is not in the logs/);
  });

  it('saveBestOnly saves only at improving epochs, atomically replacing the target', async () => {
    const model = compiledModel();
    const calls: { target: string; weightsOnly: boolean }[] = [];
    const epochRef = { epoch: 0 };
    const ckpt = new ModelCheckpoint({ filepath: path.join(dir, 'best'), saveBestOnly: true, saveWeightsOnly: true, saver: recordingSaver(calls, epochRef) });
    ckpt.setModel(model);
    const losses = [0.5, 0.6, 0.4, 0.45, 0.3];
    for (let epoch = 0; epoch < losses.length; epoch++) {
      epochRef.epoch = epoch;
      await ckpt.onEpochEnd(epoch, { loss: 1, val_loss: losses[epoch] });
    }
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.weightsOnly && path.basename(c.target).startsWith('.best.tmp-'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'best', 'epoch.txt'), 'utf8')).toBe('4');
    expect(fs.readdirSync(dir)).toEqual(['best']);
    model.dispose();
  });

  it('saves every epoch to formatted paths in a real fit; a failing save leaves the previous checkpoint intact', async () => {
    const model = compiledModel();
    const calls: { target: string; weightsOnly: boolean }[] = [];
    const epochRef = { epoch: 0 };
    const tracker = new (class extends Callback {
      override onEpochBegin(epoch: number) {
        epochRef.epoch = epoch;
      }
    })();
    const template = path.join(dir, 'ep{epoch}');
    await fitModel(model, [[1]], [[1]], { epochs: 2, verbose: 0, callbacks: [tracker, new ModelCheckpoint({ filepath: template, monitor: 'loss', saver: recordingSaver(calls, epochRef) })] });
    expect(fs.readdirSync(dir).sort()).toEqual(['ep1', 'ep2']);

    const failing = new ModelCheckpoint({
      filepath: path.join(dir, 'ep1'),
      saver: (_m, target) => {
        fs.mkdirSync(target);
        fs.writeFileSync(path.join(target, 'partial'), 'x');
        throw new Error('disk full');
      },
    });
    failing.setModel(model);
    await expect(failing.onEpochEnd(0, { loss: 1 })).rejects.toThrow(/disk full/);
    expect(fs.readdirSync(dir).sort()).toEqual(['ep1', 'ep2']);
    expect(fs.readFileSync(path.join(dir, 'ep1', 'epoch.txt'), 'utf8')).toBe('0');
    model.dispose();
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces after `patience` flat epochs, then waits `cooldown`', async () => {
    const model = compiledModel();
    const lrs: number[] = [];
    const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5, cooldown: 1 });
    cb.setModel(model);
    cb.onTrainBegin();
    for (let epoch = 0; epoch < 8; epoch++) {
      const logs: Logs = { val_loss: 1 };
      cb.onEpochEnd(epoch, logs);
      lrs.push(logs.learning_rate);
    }
    // learning_rate is logged before the reduction of that epoch: reductions at epochs 2, 4 and 6.
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
    model.dispose();
  });

  it('never goes below minLr; an improvement resets the wait', async () => {
    const model = compiledModel();
    const cb = new ReduceLROnPlateau({ patience: 1, factor: 0.5, minLr: 0.3 });
    cb.setModel(model);
    cb.onTrainBegin();
    [1, 1, 1, 0.5, 0.5, 0.5].forEach((v, epoch) => cb.onEpochEnd(epoch, { val_loss: v }));
    expect((model as unknown as { optimizer: SGD }).optimizer.learningRate).toBe(0.3);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor >= 1.0/);
    model.dispose();
  });

  it('cannot change a schedule', () => {
    const model = new LinearModel([[1]], [0]);
    compileModel(model, { optimizer: new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.9 }) }), loss: 'mse' });
    const cb = new ReduceLROnPlateau({ patience: 0 });
    cb.setModel(model);
    cb.onTrainBegin();
    cb.onEpochEnd(0, { val_loss: 1 });
    expect(() => cb.onEpochEnd(1, { val_loss: 1 })).toThrow(/LearningRateSchedule/);
    model.dispose();
  });
});

describe('LearningRateScheduler, CSVLogger, TerminateOnNaN', () => {
  it('LearningRateScheduler sets the rate each epoch and logs it', async () => {
    const model = compiledModel();
    (model as unknown as { optimizer: SGD }).optimizer.learningRate = 0.1;
    const h = await fitModel(model, [[1]], [[1]], { epochs: 4, verbose: 0, callbacks: [new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5))] });
    expect(h.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025]);
    model.dispose();
  });

  it('CSVLogger writes a header and one row per epoch; append continues the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-'));
    const file = path.join(dir, 'log.csv');
    const model = compiledModel(['mae']);
    const run = (append: boolean) =>
      fitModel(model, [[1], [2]], [[0], [0]], { epochs: 2, verbose: 0, validationData: [[[1]], [[0]]], callbacks: [new CSVLogger({ filename: file, append })] });
    const h = await run(false);
    let lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,mae,val_loss,val_mae');
    expect(lines).toHaveLength(3);
    expect(lines[1].split(',').map(Number)).toEqual([0, h.history.loss[0], h.history.mae[0], h.history.val_loss[0], h.history.val_mae[0]]);
    await run(true);
    lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => l.startsWith('epoch'))).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
    model.dispose();
  });

  it('TerminateOnNaN stops at the first batch with a NaN loss', async () => {
    const model = compiledModel();
    const messages: string[] = [];
    const h = await fitModel(model, [[1], [NaN], [1], [1]], [[0], [0], [0], [0]], {
      batchSize: 1,
      epochs: 3,
      shuffle: false,
      verbose: 0,
      callbacks: [new TerminateOnNaN((m) => messages.push(m))],
    });
    expect(messages).toEqual(['Batch 1: Invalid loss, terminating training']);
    expect(h.epoch).toEqual([0]);
    model.dispose();
  });
});
