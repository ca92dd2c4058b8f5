import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config';
import { setSeed } from '../../engine/random';
import { getRandomState, randomStreams, setRandomState } from './random_streams';

const config = {
  class_name: 'Sequential',
  config: {
    layers: [
      { class_name: 'Bidirectional', config: { layer: { class_name: 'LSTM', config: { units: 3, dropout: 0.5, recurrent_dropout: 0.5, return_sequences: true } }, batch_input_shape: [null, 4, 2] } },
      { class_name: 'Dropout', config: { rate: 0.5 } },
      { class_name: 'GRU', config: { units: 2, dropout: 0.3 } },
    ],
  },
};

describe('random streams', () => {
  it('finds the dropout streams of layers, wrappers and cells, and restoring them repeats the masks', () => {
    setSeed(3);
    const model = modelFromJSON(config);
    // forward and backward LSTM cells, the Dropout layer, the GRU cell
    expect(randomStreams(model)).toHaveLength(4);
    const x = tf.ones([2, 4, 2]);
    const run = () => tf.tidy(() => Array.from(model.callWithMasks([x], { training: true }).outputs[0].dataSync()));
    run();
    const saved = getRandomState(model);
    expect(saved.every((s) => s >= 1)).toBe(true);
    const next = run();
    expect(run()).not.toEqual(next);
    setRandomState(model, saved);
    expect(run()).toEqual(next);
    expect(() => setRandomState(model, [1])).toThrow(/1 random stream states but the model has 4/);
    x.dispose();
    model.dispose();
  });
});
