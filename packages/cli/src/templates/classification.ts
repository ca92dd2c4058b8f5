import { ExperimentJson } from './experiment_json';

/** Many-to-one: spam or ham from the first words of an e-mail body, Embedding(maskZero) + LSTM. */
export const classificationTemplate: ExperimentJson = {
  name: 'spam-lstm',
  description: 'SpamAssassin e-mails: Embedding with mask_zero, LSTM(32), sigmoid output; accuracy on a held-out 20%.',
  seed: 7,
  model: {
    class_name: 'Sequential',
    config: {
      name: 'spam_classifier',
      layers: [
        {
          class_name: 'Embedding',
          config: { name: 'embedding', input_dim: '$vocabSize', output_dim: 32, mask_zero: true, batch_input_shape: [null, '$maxLen'] },
        },
        { class_name: 'LSTM', config: { name: 'lstm', units: 32 } },
        { class_name: 'Dense', config: { name: 'spam', units: 1, activation: 'sigmoid' } },
      ],
    },
  },
  compile: { optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] },
  data: {
    kind: 'classification',
    dataset: 'spam-assassin',
    limit: 2000,
    text_field: 'body',
    label_field: 'label',
    level: 'word',
    num_words: 5000,
    max_len: 60,
    padding: 'pre',
    truncating: 'post',
    validation_split: 0.2,
  },
  fit: { epochs: 3, batch_size: 32 },
  output: 'out',
};
