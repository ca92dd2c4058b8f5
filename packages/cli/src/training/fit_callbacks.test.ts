import * as tf from '@tensorflow/tfjs';
import { EarlyStopping } from '@recurrent/core';
import { ExperimentError } from '../errors';
import { callbackStates, makeCallbacks, restoreCallbackStates } from './fit_callbacks';

describe('fit callbacks', () => {
  it('builds Keras callbacks from snake_case configs and names bad arguments by JSON path', () => {
    const [early] = makeCallbacks([{ className: 'EarlyStopping', config: { monitor: 'val_loss', patience: 3, restore_best_weights: true } }], () => undefined, 'e.json');
    expect(early).toBeInstanceOf(EarlyStopping);
    expect((early as EarlyStopping).restoreBestWeights).toBe(true);
    let error: unknown;
    try {
      makeCallbacks([{ className: 'TerminateOnNaN', config: {} }, { className: 'EarlyStopping', config: { patience: -1 } }], () => undefined, 'e.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExperimentError);
    expect((error as ExperimentError).issues[0].path).toBe('fit.callbacks[1].config');
  });

  it('carries patience, bests and best weights through a checkpoint (as JSON)', () => {
    const [a] = makeCallbacks([{ className: 'EarlyStopping', config: { patience: 5, restoreBestWeights: true } }], () => undefined, 'e.json') as EarlyStopping[];
    a.wait = 2;
    a.best = 0.25;
    a.bestEpoch = 3;
    (a as unknown as { bestWeights: tf.Tensor[] }).bestWeights = [tf.tensor1d([1.5, 2])];
    const saved = JSON.parse(JSON.stringify(callbackStates([a])));
    const [b] = makeCallbacks([{ className: 'EarlyStopping', config: { patience: 5, restoreBestWeights: true } }], () => undefined, 'e.json') as EarlyStopping[];
    b.onTrainBegin();
    restoreCallbackStates([b], saved);
    expect([b.wait, b.best, b.bestEpoch]).toEqual([2, 0.25, 3]);
    expect(Array.from((b as unknown as { bestWeights: tf.Tensor[] }).bestWeights[0].dataSync())).toEqual([1.5, 2]);
    expect(() => restoreCallbackStates([], saved)).toThrow(/state of 1 callbacks but the experiment has 0/);
  });
});
