import * as tf from '@tensorflow/tfjs';
import { getSeed, numericArray } from '@recurrent/core';
import { exampleSet } from '../data/example_set';
import { InterruptedError } from '../errors';
import { emptyHistory } from '../report/history';
import { TrainingPosition } from './checkpoint';
import { InterruptFlag } from './interrupt';
import { ProgressReporter } from './progress';
import { trainLoop } from './train_loop';
import { TrainingModel } from './training_model';

/** A fake model that records which examples each step saw, the engine seed at that step, and
 * "learns" by summing them into its one weight, so the final weight depends on the exact sequence. */
class RecordingModel implements TrainingModel {
  steps: { ids: number[]; seed: number | null }[] = [];
  weight = 0;
  stopTraining = false;
  stateful = false;
  resets = 0;
  private count = 0;
  private sum = 0;

  async trainOnBatch(xs: tf.Tensor[], _ys: tf.Tensor[], reset: boolean): Promise<Record<string, number>> {
    const ids = Array.from(xs[0].dataSync());
    this.steps.push({ ids, seed: getSeed() });
    this.weight = this.weight * 0.5 + ids.reduce((a, b) => a + b, 0) + (getSeed() ?? 0) / 2 ** 32;
    if (reset) {
      this.count = 0;
      this.sum = 0;
    }
    this.count += ids.length;
    this.sum += ids.reduce((a, b) => a + b, 0);
    return { loss: this.sum / this.count };
  }
  async testOnBatch(xs: tf.Tensor[], _ys: tf.Tensor[]): Promise<Record<string, number>> {
    return { loss: xs[0].shape[0] };
  }
  getWeights(): tf.Tensor[] {
    return [];
  }
  setWeights(): void {}
  getOptimizerWeights() {
    return { names: [], values: [] };
  }
  setOptimizerWeights(): void {}
  getLearningRate(): number | null {
    return null;
  }
  setLearningRate(): void {}
  getRandomState(): number[] {
    return [];
  }
  setRandomState(): void {}
  resetStates(): void {
    this.resets++;
  }
}

const ids = numericArray('int32', [10, 1]);
ids.data.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const train = exampleSet([{ array: ids }], [{ array: ids }]);
const quiet = () => new ProgressReporter({ write: () => true }, false);

function start(): TrainingPosition {
  return { epoch: 0, batch: 0, partial: null, history: emptyHistory(), rngState: null };
}

async function run(model: RecordingModel, from: TrainingPosition, interrupt = new InterruptFlag(), checkpoints: TrainingPosition[] = [], onBatch?: (n: number) => void) {
  return trainLoop({
    model,
    train,
    validation: null,
    epochs: 3,
    batchSize: 4,
    shuffle: true,
    validationFreq: 1,
    seed: 5,
    start: from,
    progress: quiet(),
    interrupt,
    checkpoint: (p) => checkpoints.push(JSON.parse(JSON.stringify(p))),
    callbacks: onBatch ? [{ onBatchEnd: (b) => onBatch(b) }] : [],
  });
}

describe('trainLoop', () => {
  it('visits every example once per epoch in a seeded order, the same on every run', async () => {
    const a = new RecordingModel();
    const b = new RecordingModel();
    const history = await run(a, start());
    await run(b, start());
    expect(a.steps).toEqual(b.steps);
    expect(a.steps).toHaveLength(9); // 3 epochs x ceil(10 / 4)
    for (let e = 0; e < 3; e++) {
      expect(a.steps.slice(e * 3, e * 3 + 3).flatMap((s) => s.ids).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(a.steps[0].ids).not.toEqual(a.steps[3].ids);
    // the epoch loss is the average over the epoch's examples: (0 + ... + 9) / 10
    expect(history.history.loss).toEqual([4.5, 4.5, 4.5]);
  });

  it('stops after the current batch when interrupted and resumes to the same sequence', async () => {
    const full = new RecordingModel();
    const fullHistory = await run(full, start());

    const first = new RecordingModel();
    const interrupt = new InterruptFlag();
    const checkpoints: TrainingPosition[] = [];
    let seen = 0;
    await expect(
      run(first, start(), interrupt, checkpoints, () => {
        if (++seen === 5) interrupt.requested = true; // during epoch 2, after its 2nd batch
      }),
    ).rejects.toBeInstanceOf(InterruptedError);
    const last = checkpoints[checkpoints.length - 1];
    expect(last).toMatchObject({ epoch: 1, batch: 2 });

    const second = new RecordingModel();
    second.weight = first.weight;
    const resumedHistory = await run(second, last);
    expect([...first.steps, ...second.steps]).toEqual(full.steps);
    expect(second.weight).toBe(full.weight);
    expect(resumedHistory.history).toEqual(fullHistory.history);
  });

  it('resets the states of a stateful model after each epoch and drops a partial batch', async () => {
    const model = new RecordingModel();
    model.stateful = true;
    await trainLoop({ model, train, validation: null, epochs: 2, batchSize: 4, shuffle: false, dropRemainder: true, validationFreq: 1, seed: 1, start: start(), progress: quiet(), interrupt: new InterruptFlag(), checkpoint: () => undefined });
    expect(model.resets).toBe(2);
    expect(model.steps.map((s) => s.ids)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7]]);
  });
});
