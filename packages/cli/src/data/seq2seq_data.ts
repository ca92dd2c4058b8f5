import { DataRecord, Tokenizer, encodeSeq2Seq, recordText } from '@recurrent/core';
import { Seq2SeqData } from '../experiment/data_schema';
import { ExampleSet, exampleSet } from './example_set';
import { resolveLabelEncoding } from './label_encoding';
import { PrepareContext, PreparedData, atPath, settingError, sourcePath } from './prepared_data';
import { PreprocessingState, stateTokenizer } from './preprocessing_state';
import { limitSeed, splitRecords } from './record_split';
import { DataSource, loadRecords, resolveSource } from './sources';

/** Token used by the source tokenizer for unknown source tokens. */
export const SOURCE_OOV = '<oov>';

/**
 * Source/target records -> two tokenizers fitted on the training records (the target one holding the
 * start and end markers) -> [encoder input, decoder input] and decoder targets (teacher forcing).
 */
export function prepareSeq2Seq(section: Seq2SeqData, ctx: PrepareContext): PreparedData {
  const source = resolveSource(section, ctx.baseDir);
  const records = atPath(ctx.file, sourcePath(section), () => loadRecords(source, section.limit, limitSeed(ctx.seed)));
  if (records.length === 0) throw settingError(ctx.file, sourcePath(section), 'no records', 'give a file with one JSON object per line');
  const { train, validation } = splitRecords(records, section, ctx.seed);
  if (section.startToken === section.endToken) {
    throw settingError(ctx.file, 'data.endToken', 'the start and end markers must differ', "e.g. '<start>' and '<end>'");
  }
  const sourceTokenizer = new Tokenizer({ level: section.sourceLevel, lower: section.lower, numWords: section.sourceNumWords, oovToken: SOURCE_OOV });
  atPath(ctx.file, 'data.sourceField', () => sourceTokenizer.fitOnTexts(train.map((r) => recordText(r, section.sourceField))));
  const targetTokenizer = new Tokenizer({
    level: section.targetLevel,
    lower: section.lower,
    numWords: section.targetNumWords,
    reservedTokens: [section.startToken, section.endToken],
  });
  atPath(ctx.file, 'data.targetField', () => targetTokenizer.fitOnTexts(train.map((r) => recordText(r, section.targetField))));
  const labelEncoding = resolveLabelEncoding(section.labelEncoding, ctx.loss);
  if (labelEncoding === 'binary') throw settingError(ctx.file, 'data.labelEncoding', 'decoder targets are tokens, not binary labels', "use 'sparse' or 'oneHot'");
  const state: PreprocessingState = {
    format: 'recurrent-preprocessing',
    version: 1,
    kind: 'seq2seq',
    data: section,
    labelEncoding,
    dims: {
      sourceVocabSize: sourceTokenizer.vocabularySize,
      targetVocabSize: targetTokenizer.vocabularySize,
      maxSourceLen: section.maxSourceLen,
      maxTargetLen: section.maxTargetLen,
      outputSize: targetTokenizer.vocabularySize,
    },
    tokenizer: sourceTokenizer.toJSON(),
    targetTokenizer: targetTokenizer.toJSON(),
  };
  const encode = (part: DataRecord[]) => atPath(ctx.file, 'data.targetField', () => seq2seqExamples(part, state));
  return { state, train: encode(train), validation: validation.length > 0 ? encode(validation) : null };
}

/** Examples of other records with a trained model's tokenizers (evaluate). */
export function encodeSeq2SeqSource(state: PreprocessingState, source: DataSource): ExampleSet {
  return seq2seqExamples(loadRecords(source), state);
}

function seq2seqExamples(records: DataRecord[], state: PreprocessingState): ExampleSet {
  const section = state.data as Seq2SeqData;
  const sourceTokenizer = stateTokenizer(state);
  const targetTokenizer = stateTokenizer(state, 'targetTokenizer');
  const { encoderInput, decoderInput, decoderTarget } = encodeSeq2Seq(records, sourceTokenizer, targetTokenizer, section);
  const oneHot = section.encoding === 'oneHot';
  const targetDepth = state.dims.targetVocabSize;
  return exampleSet(
    [
      { array: encoderInput, oneHot: oneHot ? { depth: state.dims.sourceVocabSize, zeroForPadding: true } : undefined },
      { array: decoderInput, oneHot: oneHot ? { depth: targetDepth, zeroForPadding: true } : undefined },
    ],
    [{ array: decoderTarget, oneHot: state.labelEncoding === 'oneHot' ? { depth: targetDepth, zeroForPadding: true } : undefined }],
  );
}
