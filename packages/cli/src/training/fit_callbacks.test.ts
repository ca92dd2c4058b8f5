import { EarlyStopping } from '@recurrent/core';
import { ExperimentError } from '../errors';
import { makeCallbacks } from './fit_callbacks';

describe('fit callbacks', () => {
  it('builds Keras callbacks from snake_case configs and names bad arguments by JSON path', () => {
    const [early] = makeCallbacks([{ className: 'EarlyStopping', config: { monitor: 'val_loss', patience: 3, restore_best_weights: true } }], () => undefined, 'e.json');
    expect(early).toBeInstanceOf(EarlyStopping);
    expect((early as EarlyStopping).restoreBestWeights).toBe(true);
    let error: unknown;
    try {
      makeCallbacks([{ className: 'TerminateOnNaN', config: {} }, { className: 'EarlyStopping', config: { patience: -1 } }, { className: 'constructor', config: {} }], () => undefined, 'e.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExperimentError);
    expect((error as ExperimentError).issues.map((i) => i.path)).toEqual(['fit.callbacks[1].config', 'fit.callbacks[2].config']);
    expect((error as ExperimentError).issues[1].message).toMatch(/unknown callback 'constructor'/);
  });
});
