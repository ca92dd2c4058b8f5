import { ExperimentJson } from './experiment_json';

/** The chapter's character-level text generator: SimpleRNN(128) over 10-character windows of
 * Moby-Dick, then softmax over the characters; swap the class name for LSTM or GRU. */
export const textGenerationTemplate: ExperimentJson = {
  name: 'moby-dick-char-rnn',
  description: 'Character-level language model on Moby-Dick: SimpleRNN(128), 10-character windows, batch 128.',
  seed: 42,
  model: {
    class_name: 'Sequential',
    config: {
      name: 'char_rnn',
      layers: [
        {
          class_name: 'SimpleRNN',
          config: { name: 'rnn', units: 128, return_sequences: false, unroll: false, batch_input_shape: [null, '$seqLength', '$vocabSize'] },
        },
        { class_name: 'Dense', config: { name: 'next_char', units: '$vocabSize' } },
        { class_name: 'Activation', config: { name: 'softmax', activation: 'softmax' } },
      ],
    },
  },
  compile: { optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] },
  data: {
    kind: 'text',
    dataset: 'moby-dick',
    limit: 200000,
    level: 'char',
    lower: true,
    seq_length: 10,
    step: 3,
    encoding: 'oneHot',
    validation_split: 0.05,
  },
  fit: { epochs: 3, batch_size: 128 },
  generate: { length: 120, temperatures: [0.2, 0.5, 1.0], prime: 'call me ishmael. ' },
  output: 'out',
};
