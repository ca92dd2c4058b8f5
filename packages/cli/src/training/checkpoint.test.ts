import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { emptyHistory } from '../report/history';
import { findCheckpoint, readCheckpointState, removeCheckpoint, restoreCheckpoint, writeCheckpoint } from './checkpoint';
import { TrainingModel } from './training_model';

/** A model whose weights and optimizer state are plain tensors, to check what a checkpoint keeps. */
function fakeModel(
  weights: tf.Tensor[],
  optimizer: tf.Tensor[],
  learningRate: number,
): TrainingModel & { restored: number[][]; restoredOptimizer: number[][]; lr: number; randomState: number[] } {
  const model = {
    restored: [] as number[][],
    restoredOptimizer: [] as number[][],
    lr: learningRate,
    stopTraining: false,
    stateful: false,
    resetStates: () => undefined,
    trainOnBatch: async () => ({}),
    testOnBatch: async () => ({}),
    getWeights: () => weights.map((w) => w.clone()),
    setWeights: (values: tf.Tensor[]) => (model.restored = values.map((v) => Array.from(v.dataSync()))),
    getOptimizerWeights: () => ({ names: optimizer.map((_, i) => `opt/${i}`), values: optimizer.map((o) => o.clone()) }),
    setOptimizerWeights: (values: tf.Tensor[]) => (model.restoredOptimizer = values.map((v) => Array.from(v.dataSync()))),
    randomState: [3, 0] as number[],
    getRandomState: () => [...model.randomState],
    setRandomState: (states: number[]) => (model.randomState = [...states]),
    getLearningRate: () => model.lr,
    setLearningRate: (v: number) => (model.lr = v),
  };
  return model;
}

describe('checkpoints', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-ckpt-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keep weights, optimizer state (int and float), the exact learning rate and the position, without leaking tensors', () => {
    const weights = [tf.tensor2d([[1.5, -2], [3.25, 4]]), tf.tensor1d([0.1])];
    const optimizer = [tf.scalar(7, 'int32'), tf.tensor1d([0.5, 0.25])];
    const before = tf.memory().numTensors;
    const source = fakeModel(weights, optimizer, 0.001);
    const history = emptyHistory();
    history.epoch.push(1);
    writeCheckpoint(dir, source, { epoch: 1, batch: 3, partial: { sums: { loss: 2.5 }, count: 24 }, history, rngState: 42 }, 9, 'abc');
    expect(tf.memory().numTensors).toBe(before);

    const found = findCheckpoint(dir) as string;
    expect(found).toBe(path.join(dir, 'checkpoint'));
    const state = readCheckpointState(found);
    expect(state).toMatchObject({ epoch: 1, batch: 3, seed: 9, fingerprint: 'abc', rngState: 42, partial: { sums: { loss: 2.5 }, count: 24 }, learningRate: 0.001 });

    const target = fakeModel([], [], 0.0010000000474974513);
    target.randomState = [0, 0];
    restoreCheckpoint(found, state, target);
    expect(target.randomState).toEqual([3, 0]);
    expect(target.restored).toEqual([[1.5, -2, 3.25, 4], [Math.fround(0.1)]]);
    expect(target.restoredOptimizer).toEqual([[7], [0.5, 0.25]]);
    expect(target.lr).toBe(0.001);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...weights, ...optimizer]);
  });

  it('replaces the previous checkpoint and leaves no temporary folders', () => {
    const model = fakeModel([tf.scalar(1)], [], 0.1);
    const position = { epoch: 0, batch: 1, partial: null, history: emptyHistory(), rngState: null };
    writeCheckpoint(dir, model, position, 1, 'x');
    writeCheckpoint(dir, model, { ...position, batch: 2 }, 1, 'x');
    expect(fs.readdirSync(dir)).toEqual(['checkpoint']);
    expect(readCheckpointState(path.join(dir, 'checkpoint')).batch).toBe(2);
    removeCheckpoint(dir);
    expect(findCheckpoint(dir)).toBeNull();
  });

  it('falls back to the previous checkpoint when a swap was cut short', () => {
    const model = fakeModel([tf.scalar(1)], [], 0.1);
    writeCheckpoint(dir, model, { epoch: 2, batch: 0, partial: null, history: emptyHistory(), rngState: null }, 1, 'x');
    fs.renameSync(path.join(dir, 'checkpoint'), path.join(dir, 'checkpoint.old'));
    expect(findCheckpoint(dir)).toBe(path.join(dir, 'checkpoint.old'));
  });

  it('rejects a file that is not a checkpoint', () => {
    fs.mkdirSync(path.join(dir, 'checkpoint'));
    fs.writeFileSync(path.join(dir, 'checkpoint', 'state.json'), '{"format": "other"}');
    expect(() => readCheckpointState(path.join(dir, 'checkpoint'))).toThrow(/not a recurrent checkpoint/);
  });
});
