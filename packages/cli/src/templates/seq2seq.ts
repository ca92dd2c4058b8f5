import { ExperimentJson } from './experiment_json';

/** Grapheme to phoneme on CMUdict: an LSTM encoder whose final states start an LSTM decoder
 * (teacher forcing); `recurrent predict` decodes greedily. */
export const seq2seqTemplate: ExperimentJson = {
  name: 'cmudict-g2p',
  description: 'Spelling -> ARPAbet phonemes: character encoder LSTM(64), phoneme decoder LSTM(64) started from the encoder states.',
  seed: 3,
  model: {
    class_name: 'Functional',
    config: {
      name: 'g2p',
      layers: [
        { class_name: 'InputLayer', name: 'letters', config: { name: 'letters', batch_input_shape: [null, '$maxSourceLen'], dtype: 'float32' }, inbound_nodes: [] },
        {
          class_name: 'Embedding',
          name: 'letter_embedding',
          config: { name: 'letter_embedding', input_dim: '$sourceVocabSize', output_dim: 32, mask_zero: true },
          inbound_nodes: [[['letters', 0, 0, {}]]],
        },
        {
          class_name: 'LSTM',
          name: 'encoder',
          config: { name: 'encoder', units: 64, return_state: true },
          inbound_nodes: [[['letter_embedding', 0, 0, {}]]],
        },
        { class_name: 'InputLayer', name: 'phonemes_in', config: { name: 'phonemes_in', batch_input_shape: [null, '$maxTargetLen'], dtype: 'float32' }, inbound_nodes: [] },
        {
          class_name: 'Embedding',
          name: 'phoneme_embedding',
          config: { name: 'phoneme_embedding', input_dim: '$targetVocabSize', output_dim: 32, mask_zero: true },
          inbound_nodes: [[['phonemes_in', 0, 0, {}]]],
        },
        {
          class_name: 'LSTM',
          name: 'decoder',
          config: { name: 'decoder', units: 64, return_sequences: true },
          inbound_nodes: [[['phoneme_embedding', 0, 0, {}], ['encoder', 0, 1, {}], ['encoder', 0, 2, {}]]],
        },
        {
          class_name: 'Dense',
          name: 'next_phoneme',
          config: { name: 'next_phoneme', units: '$targetVocabSize', activation: 'softmax' },
          inbound_nodes: [[['decoder', 0, 0, {}]]],
        },
      ],
      input_layers: [
        ['letters', 0, 0],
        ['phonemes_in', 0, 0],
      ],
      output_layers: [['next_phoneme', 0, 0]],
    },
  },
  compile: { optimizer: { class_name: 'Adam', config: { learning_rate: 0.01 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  data: {
    kind: 'seq2seq',
    dataset: 'cmudict',
    limit: 3000,
    source_field: 'word',
    target_field: 'phonemes',
    source_level: 'char',
    target_level: 'word',
    max_source_len: 12,
    max_target_len: 13,
    validation_split: 0.1,
  },
  fit: { epochs: 12, batch_size: 64 },
  output: 'out',
};
