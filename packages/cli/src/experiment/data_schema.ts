import { z } from 'zod';

/** The `data` section of an experiment: one schema per kind of data, chosen by `kind`. */

const source = {
  path: z.string().min(1).optional().describe('Data file, relative to the experiment file.'),
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe('A bundled dataset by name instead of a file: moby-dick, spam-assassin, cmudict, us-births, female-first-names, male-first-names, first-names.'),
  validationSplit: z
    .number()
    .min(0)
    .lt(1)
    .default(0)
    .describe('Fraction of the examples held out for validation (the last part, after the optional shuffle).'),
  shuffleBeforeSplit: z.boolean().optional().describe('Shuffle (seeded) before splitting; default true, false for time series.'),
  limit: z.number().int().positive().optional().describe('Use only the first N records (characters for text corpora) of the source.'),
};

const padSide = z.enum(['pre', 'post']);

const tokenizerOptions = {
  lower: z.boolean().default(true).describe('Lower-case texts before tokenising.'),
  numWords: z.number().int().min(2).optional().describe('Vocabulary size limit: keep the numWords-1 most frequent tokens (index 0 is padding).'),
  filters: z.string().optional().describe("Word level: characters removed before splitting (default Keras's punctuation set)."),
};

const labelEncoding = z
  .enum(['auto', 'sparse', 'oneHot', 'binary'])
  .default('auto')
  .describe("How labels are given to the loss: class indices ('sparse'), one-hot rows ('oneHot'), 0/1 floats ('binary'); 'auto' follows the loss.");

const inputEncoding = z
  .enum(['ids', 'oneHot'])
  .describe("Token ids (for an Embedding layer) or one-hot vectors (for a recurrent layer directly); one-hot is built per batch, id 0 (padding) as all zeros.");

export const textDataSchema = z
  .strictObject({
    kind: z.literal('text').describe('A text corpus cut into windows for next-token prediction.'),
    ...source,
    level: z.enum(['char', 'word']).default('char').describe('Tokens are characters or words.'),
    ...tokenizerOptions,
    oovToken: z.string().optional().describe('Token standing for words outside the vocabulary.'),
    seqLength: z.number().int().positive().describe('Tokens in each input window.'),
    step: z.number().int().positive().default(1).describe('Distance between the starts of consecutive windows.'),
    target: z.enum(['next', 'shifted']).default('next').describe("'next': the token after the window; 'shifted': the window moved one token ahead (returnSequences models)."),
    encoding: inputEncoding.default('oneHot'),
    labelEncoding,
  })
  .describe('Text corpus (file or bundled dataset) -> windows of seqLength tokens -> next token.');

export const timeSeriesDataSchema = z
  .strictObject({
    kind: z.literal('timeseries').describe('A CSV time series cut into windows.'),
    ...source,
    delimiter: z.string().length(1).optional().describe("CSV field separator (default ',', tab for .tsv)."),
    features: z.array(z.string().min(1)).min(1).describe('Columns used as inputs, in this order.'),
    targets: z.array(z.string().min(1)).min(1).optional().describe('Columns to predict (default: the features).'),
    window: z.number().int().positive().describe('Past rows in each input window.'),
    horizon: z.number().int().positive().default(1).describe('Future rows predicted after each window.'),
    step: z.number().int().positive().default(1).describe('Distance between consecutive window starts.'),
    normalization: z.enum(['zscore', 'minmax', 'none']).default('zscore').describe('Per-column scaling, fitted on the training rows; its statistics are saved.'),
  })
  .describe('CSV time series (file or bundled table) -> windows of past rows -> the next horizon rows.');

const sequenceFields = {
  textField: z.string().min(1).optional().describe('Field holding the text (tokenised by the tokenizer).'),
  tokensField: z.string().min(1).optional().describe('Field holding a list of tokens.'),
  level: z.enum(['char', 'word']).default('word').describe('Tokens are characters or words (text fields).'),
  ...tokenizerOptions,
  oovToken: z.string().default('<oov>').describe('Token standing for words outside the vocabulary.'),
  maxLen: z.number().int().positive().describe('Tokens kept per example; shorter examples are padded.'),
};

export const classificationDataSchema = z
  .strictObject({
    kind: z.literal('classification').describe('JSONL (or CSV) records: a sequence and one label.'),
    ...source,
    ...sequenceFields,
    labelField: z.string().min(1).describe('Field holding the class label.'),
    padding: padSide.default('pre').describe('Pad before or after the tokens.'),
    truncating: padSide.default('pre').describe('Cut long examples at the beginning or the end.'),
    encoding: z
      .enum(['ids', 'oneHot', 'text'])
      .default('ids')
      .describe(
        "Token ids (for an Embedding layer), one-hot vectors (for a recurrent layer directly), or 'text': the raw strings, for a model " +
          "whose input has dtype 'string' and goes into TextVectorization, which learns its vocabulary from the training texts " +
          "(adapt) before training and keeps it in the saved model; numWords is then required ($vocabSize), and the tokenizer settings are the layer's.",
      ),
    labelEncoding,
  })
  .describe('Sequence classification (many-to-one).');

export const taggingDataSchema = z
  .strictObject({
    kind: z.literal('tagging').describe('JSONL records: a sequence and one tag per token.'),
    ...source,
    ...sequenceFields,
    tagsField: z.string().min(1).describe('Field holding the list of tags, one per token.'),
    padding: padSide.default('post').describe('Pad before or after the tokens (tag 0 marks padding).'),
    truncating: padSide.default('post').describe('Cut long examples at the beginning or the end.'),
    encoding: inputEncoding.default('ids'),
    labelEncoding,
  })
  .describe('Sequence tagging (many-to-many, aligned).');

export const seq2seqDataSchema = z
  .strictObject({
    kind: z.literal('seq2seq').describe('JSONL records: a source text and a target text.'),
    ...source,
    sourceField: z.string().min(1).describe('Field holding the source text.'),
    targetField: z.string().min(1).describe('Field holding the target text.'),
    sourceLevel: z.enum(['char', 'word']).default('char').describe('Source tokens are characters or words.'),
    targetLevel: z.enum(['char', 'word']).default('word').describe('Target tokens are characters or words.'),
    lower: z.boolean().default(false).describe('Lower-case source and target texts.'),
    sourceNumWords: z.number().int().min(2).optional().describe('Source vocabulary size limit.'),
    targetNumWords: z.number().int().min(2).optional().describe('Target vocabulary size limit.'),
    maxSourceLen: z.number().int().positive().describe('Source tokens kept (padded before, cut at the end).'),
    maxTargetLen: z.number().int().positive().describe('Decoder steps: target tokens + 1 for the start/end marker.'),
    startToken: z.string().min(1).default('<start>').describe('Marker fed to the decoder first.'),
    endToken: z.string().min(1).default('<end>').describe('Marker the decoder emits last.'),
    encoding: inputEncoding.default('ids'),
    labelEncoding,
  })
  .describe('Sequence to sequence with teacher forcing: model inputs [encoder, decoder], output the decoder targets.');

export const dataSchema = z.discriminatedUnion('kind', [
  textDataSchema,
  timeSeriesDataSchema,
  classificationDataSchema,
  taggingDataSchema,
  seq2seqDataSchema,
]);

export type DataSection = z.infer<typeof dataSchema>;
export type TextData = z.infer<typeof textDataSchema>;
export type TimeSeriesData = z.infer<typeof timeSeriesDataSchema>;
export type ClassificationData = z.infer<typeof classificationDataSchema>;
export type TaggingData = z.infer<typeof taggingDataSchema>;
export type Seq2SeqData = z.infer<typeof seq2seqDataSchema>;
export type DataKind = DataSection['kind'];

/** Classification of raw strings (encoding 'text'): one string per example, which the model's own TextVectorization tokenizes. */
export function isRawText(section: DataSection): boolean {
  return section.kind === 'classification' && section.encoding === 'text';
}
