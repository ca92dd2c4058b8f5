import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '../../engine/names';
import { GRU } from './gru';
import { GRUCell } from './gru_cell';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm_cell';
import { RNN } from './rnn';
import { SimpleRNNCell } from './simple_rnn_cell';
import { runLayerTest } from '../../testing';
import { StackedRNNCells } from './stacked_rnn_cells';
import { CELL_IS_NO_TFJS_LAYER, expectClose, expectNoLeak, maskOf, randn } from './__tests__/helpers';
import { MinimalGatedCell } from './__tests__/custom_cells';

beforeEach(() => resetNameCounters());

describe('StackedRNNCells', () => {
  test('passes the shared layer test as a layer: apply([x, h1, c1, h2]) -> [output, h1, c1, h2]', () => {
    const input = [[3, 4], [3, 3], [3, 3], [3, 2]].map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', i + 1));
    runLayerTest({
      make: () => new StackedRNNCells({ cells: [new LSTMCell({ units: 3, name: 'lower' }), new SimpleRNNCell({ units: 2, name: 'upper' })] }),
      input, expectedOutputShape: [[3, 2], [3, 3], [3, 3], [3, 2]],
      expectedWeights: ['lower/kernel', 'lower/recurrent_kernel', 'lower/bias', 'upper/kernel', 'upper/recurrent_kernel', 'upper/bias'],
      tfjsInterop: CELL_IS_NO_TFJS_LAYER,
    });
  });

  test('sizes: states flattened in cell order, output of the last cell', () => {
    const stack = new StackedRNNCells({ cells: [new LSTMCell({ units: 4 }), new GRUCell({ units: 2 }), new SimpleRNNCell({ units: 5 })] });
    expect(stack.stateSize).toEqual([4, 4, 2, 5]);
    expect(stack.outputSize).toBe(5);
  });

  test('RNN([cells]) equals the same layers stacked, with weights in cell order', () => {
    const x = randn([2, 5, 3], 1);
    const mask = maskOf([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
    const stacked = new RNN({ cell: [new LSTMCell({ units: 4 }), new GRUCell({ units: 2 })], returnSequences: true, returnState: true });
    const lower = new LSTM({ units: 4, returnSequences: true, returnState: true });
    const upper = new GRU({ units: 2, returnSequences: true, returnState: true });
    tf.dispose(stacked.apply(x) as tf.Tensor[]);
    const [built] = lower.apply(x) as tf.Tensor[];
    tf.dispose(upper.apply(built) as tf.Tensor[]);
    expect(stacked.weights.map((w) => [w.name, w.shape])).toEqual([
      ['lstm_cell/kernel', [3, 16]], ['lstm_cell/recurrent_kernel', [4, 16]], ['lstm_cell/bias', [16]],
      ['gru_cell/kernel', [4, 6]], ['gru_cell/recurrent_kernel', [2, 6]], ['gru_cell/bias', [2, 6]],
    ]);
    const values = stacked.getWeights();
    lower.setWeights(values.slice(0, 3));
    upper.setWeights(values.slice(3));
    const [seq, h1, c1, h2] = stacked.apply(x, { mask }) as tf.Tensor[];
    const [lowerSeq, lh, lc] = lower.apply(x, { mask }) as tf.Tensor[];
    const [upperSeq, uh] = upper.apply(lowerSeq, { mask }) as tf.Tensor[];
    expectClose([seq, h1, c1, h2], [upperSeq, lh, lc, uh], 1e-5);
    expect(stacked.lastCallFused).toBe(false);
    expect(stacked.computeOutputShape([null, 5, 3])).toEqual([[null, 5, 2], [null, 4], [null, 4], [null, 2]]);
  });

  test('user cells can be stacked; their weights belong to the stack', () => {
    const layer = new RNN({ cell: [new MinimalGatedCell({ units: 3, name: 'mgu' }), new SimpleRNNCell({ units: 2 })] });
    const out = layer.apply(randn([2, 4, 5], 2)) as tf.Tensor;
    expect(out.shape).toEqual([2, 2]);
    expect(layer.weights.map((w) => w.name)).toEqual([
      'mgu/forget_kernel', 'mgu/forget_recurrent_kernel', 'mgu/forget_bias', 'mgu/kernel', 'mgu/recurrent_kernel', 'mgu/bias',
      'simple_rnn_cell/kernel', 'simple_rnn_cell/recurrent_kernel', 'simple_rnn_cell/bias',
    ]);
  });

  test('dropout masks are fixed per cell for a whole sequence', () => {
    const layer = new RNN({ cell: [new LSTMCell({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 1 }), new GRUCell({ units: 2, dropout: 0.5, seed: 2 })] });
    const x = randn([2, 4, 3], 3);
    const a = layer.apply(x, { training: true }) as tf.Tensor;
    const b = layer.apply(x, { training: false }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-4);
  });

  test('getConfig / fromConfig round trip, through RNN too', () => {
    const stack = new StackedRNNCells({ cells: [new LSTMCell({ units: 4 }), new GRUCell({ units: 2, resetAfter: false })] });
    const config = stack.getConfig();
    expect((config.cells as { className: string }[]).map((c) => c.className)).toEqual(['LSTMCell', 'GRUCell']);
    expect(StackedRNNCells.fromConfig(JSON.parse(JSON.stringify(config))).getConfig()).toEqual(config);
    const layer = new RNN({ cell: stack });
    const layerConfig = layer.getConfig();
    expect(layerConfig.cell).toMatchObject({ className: 'StackedRNNCells' });
    expect(RNN.fromConfig(JSON.parse(JSON.stringify(layerConfig))).getConfig()).toEqual(layerConfig);
  });

  test('wrong state counts and empty stacks are rejected', () => {
    expect(() => new StackedRNNCells({ cells: [] })).toThrow(/non-empty list/);
    const stack = new StackedRNNCells({ cells: [new LSTMCell({ units: 2 })] });
    stack.build([null, 3]);
    expect(() => stack.call(tf.ones([1, 3]), [tf.zeros([1, 2])], false)).toThrow(/expected 2 state tensors/);
  });

  test('no leaks', () => {
    const layer = new RNN({ cell: [new LSTMCell({ units: 3 }), new SimpleRNNCell({ units: 2 })], returnSequences: true });
    const x = randn([2, 4, 3], 4);
    expectNoLeak(() => layer.apply(x) as tf.Tensor);
  });
});
