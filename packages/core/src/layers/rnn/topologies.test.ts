import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import type { SymbolicTensor } from '../../engine/symbolic';
import { Model, model } from '../../models/model';
import { Sequential } from '../../models/sequential';
import { Dense } from '../core/dense';
import { Embedding } from '../core/embedding';
import { RepeatVector } from '../core/repeat_vector';
import { TimeDistributed } from '../wrappers/time_distributed';
import { Bidirectional } from '../wrappers/bidirectional';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { SimpleRNN } from './simple_rnn';
import { expectClose, randn } from './__tests__/helpers';

/** The RNN topologies of the chapter, built with the public layers, checked for shapes and wiring. */

beforeEach(() => resetNameCounters());

function predictShape(m: Model, x: tf.Tensor | tf.Tensor[]): number[][] {
  const out = m.predict(x);
  const shapes = (Array.isArray(out) ? out : [out]).map((t) => t.shape);
  tf.dispose(out);
  return shapes;
}

describe('chapter topologies', () => {
  test('many-to-one: Embedding -> SimpleRNN -> Dense (sentiment analysis)', () => {
    const m = new Sequential({
      layers: [
        new Embedding({ inputDim: 50, outputDim: 8, inputShape: [12] }),
        new SimpleRNN({ units: 16 }),
        new Dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    expect(m.outputs[0].shape).toEqual([null, 1]);
    expect(predictShape(m, tf.ones([3, 12]))).toEqual([[3, 1]]);
  });

  test('one-to-many: Dense -> RepeatVector -> LSTM(returnSequences) -> TimeDistributed(Dense) (captioning)', () => {
    const features = input({ shape: [10] });
    const repeated = new RepeatVector({ n: 7 }).apply(new Dense({ units: 6 }).apply(features) as SymbolicTensor) as SymbolicTensor;
    const sequence = new LSTM({ units: 12, returnSequences: true }).apply(repeated) as SymbolicTensor;
    const words = new TimeDistributed({ layer: new Dense({ units: 20, activation: 'softmax' }) }).apply(sequence) as SymbolicTensor;
    const m = model({ inputs: features, outputs: words });
    expect(words.shape).toEqual([null, 7, 20]);
    expect(predictShape(m, tf.ones([2, 10]))).toEqual([[2, 7, 20]]);
  });

  test('many-to-many aligned: GRU(returnSequences) -> TimeDistributed(Dense) (POS tagging)', () => {
    const m = new Sequential({
      layers: [
        new Embedding({ inputDim: 30, outputDim: 5, inputShape: [null], maskZero: true }),
        new Bidirectional({ layer: new GRU({ units: 8, returnSequences: true }) }),
        new TimeDistributed({ layer: new Dense({ units: 4, activation: 'softmax' }) }),
      ],
    });
    expect(m.outputs[0].shape).toEqual([null, null, 4]);
    expect(predictShape(m, tf.ones([2, 9]))).toEqual([[2, 9, 4]]);
  });

  test('encoder-decoder (machine translation): encoder returnState -> decoder initialState', () => {
    const encoderInput = input({ shape: [null, 8], name: 'source' });
    const [, h, c] = new LSTM({ units: 16, returnState: true, name: 'encoder' }).apply(encoderInput) as SymbolicTensor[];
    expect([h.shape, c.shape]).toEqual([[null, 16], [null, 16]]);
    const decoderInput = input({ shape: [null, 6], name: 'target' });
    const decoder = new LSTM({ units: 16, returnSequences: true, returnState: true, name: 'decoder' });
    const [decoded] = decoder.apply(decoderInput, { initialState: [h, c] }) as SymbolicTensor[];
    const dense = new Dense({ units: 6, activation: 'softmax', name: 'readout' });
    const probabilities = new TimeDistributed({ layer: dense }).apply(decoded) as SymbolicTensor;
    const m = model({ inputs: [encoderInput, decoderInput], outputs: probabilities });
    expect(probabilities.shape).toEqual([null, null, 6]);

    const source = randn([2, 5, 8], 1);
    const target = randn([2, 4, 6], 2);
    const predicted = m.predict([source, target]) as tf.Tensor;
    expect(predicted.shape).toEqual([2, 4, 6]);
    // The same computation done eagerly, layer by layer: the encoder's final states start the decoder.
    const [, eh, ec] = (m.getLayer('encoder') as LSTM).apply(source) as tf.Tensor[];
    const [eagerDecoded] = decoder.apply(target, { initialState: [eh, ec] }) as tf.Tensor[];
    const eager = tf.softmax(tf.add(tf.matMul(eagerDecoded.reshape([-1, 16]), dense.kernel!.read()), dense.bias!.read())).reshape([2, 4, 6]);
    expectClose(predicted, eager, 1e-5);
    // Without the encoder's states the decoder would compute something else.
    const [alone] = decoder.apply(target) as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(alone, eagerDecoded))).dataSync()[0]).toBeGreaterThan(1e-4);
  });

  test('the encoder-decoder config round-trips with the initial states wired as decoder inputs', () => {
    const encoderInput = input({ shape: [null, 3] });
    const states = (new GRU({ units: 4, returnState: true }).apply(encoderInput) as SymbolicTensor[]).slice(1);
    const decoderInput = input({ shape: [null, 2] });
    const out = new GRU({ units: 4, returnSequences: true }).apply(decoderInput, { initialState: states }) as SymbolicTensor;
    const m = model({ inputs: [encoderInput, decoderInput], outputs: out });
    const copy = Model.fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    copy.setWeights(m.getWeights());
    const xs = [randn([2, 3, 3], 3), randn([2, 5, 2], 4)];
    expectClose(copy.predict(xs) as tf.Tensor, m.predict(xs) as tf.Tensor, 1e-6);
  });
});
