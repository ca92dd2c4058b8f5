// Bidirectional: one copy of the layer reads the sequence forwards, another backwards; outputs are merged.
import * as tf from '@tensorflow/tfjs';
import { Bidirectional, Dense, Embedding, LSTM, Sequential, TimeDistributed } from '@recurrent/core';

export function main(): number[][] {
  const tagger = new Sequential({
    layers: [
      new Embedding({ inputDim: 50, outputDim: 8, maskZero: true, inputShape: [null] }),
      // returnSequences: one output per token, each seeing the whole sentence (left and right context).
      new Bidirectional({ layer: new LSTM({ units: 16, returnSequences: true }), mergeMode: 'concat' }),
      new TimeDistributed({ layer: new Dense({ units: 5, activation: 'softmax' }) }),
    ],
  });
  tagger.summary();
  const shapes = ['concat', 'sum', 'ave', 'mul'].map((mergeMode) => {
    const layer = new Bidirectional({ layer: new LSTM({ units: 16 }), mergeMode: mergeMode as 'concat' });
    const out = layer.apply(tf.ones([2, 7, 3])) as tf.Tensor;
    console.log(`mergeMode ${mergeMode}: output shape [${out.shape.join(', ')}]`); // concat: [2, 32], others: [2, 16]
    const shape = out.shape;
    out.dispose();
    return shape;
  });
  tagger.dispose();
  return shapes;
}

if (require.main === module) main();
