// Three ways to build the same kind of model: Sequential, functional, and tfjs-style factories.
import { Dense, Embedding, GRU, LSTM, Sequential, input, layers, model, sequential, type SymbolicTensor } from '@recurrent/core';

export function main(): number[] {
  // 1. Sequential: a stack of layers; the first one knows the input shape (without the batch dimension).
  const stacked = new Sequential({
    layers: [
      new Embedding({ inputDim: 1000, outputDim: 32, inputShape: [50] }),
      new LSTM({ units: 64, returnSequences: true }), // a sequence out, for the next recurrent layer
      new LSTM({ units: 32 }), // the last output only
      new Dense({ units: 3, activation: 'softmax' }),
    ],
  });

  // 2. Functional: layers called on symbolic tensors; several inputs, outputs and shared layers.
  const words = input({ shape: [null], name: 'words' });
  const embedded = new Embedding({ inputDim: 1000, outputDim: 32, maskZero: true }).apply(words) as SymbolicTensor;
  const [sequence, lastState] = new GRU({ units: 32, returnSequences: true, returnState: true }).apply(embedded) as SymbolicTensor[];
  const perWord = new Dense({ units: 5, activation: 'softmax', name: 'tags' }).apply(sequence) as SymbolicTensor;
  const perSentence = new Dense({ units: 1, activation: 'sigmoid', name: 'label' }).apply(lastState) as SymbolicTensor;
  const twoHeads = model({ inputs: words, outputs: [perWord, perSentence] });

  // 3. Factories, as in @tensorflow/tfjs: layers.lstm({...}) is new LSTM({...}).
  const factories = sequential({ layers: [layers.simpleRNN({ units: 8, inputShape: [10, 4] }), layers.dense({ units: 1 })] });

  for (const m of [stacked, twoHeads, factories]) m.summary();
  const counts = [stacked, twoHeads, factories].map((m) => m.countParams());
  [stacked, twoHeads, factories].forEach((m) => m.dispose());
  return counts;
}

if (require.main === module) main();
