import {
  DataRecord,
  LabelIndex,
  NumericArray,
  PAD_TAG,
  Tokenizer,
  encodeClassification,
  encodeTagging,
  fitLabelVocabulary,
  numericArray,
  recordInput,
  recordLabel,
  recordText,
  recordTokens,
} from '@recurrent/core';
import { ClassificationData, TaggingData, isRawText } from '../experiment/data_schema';
import { ExampleSet, Feature, exampleSet, textFeature } from './example_set';
import { LabelEncoding, resolveLabelEncoding } from './label_encoding';
import { PrepareContext, PreparedData, atPath, settingError, sourcePath } from './prepared_data';
import { PreprocessingState, stateTokenizer } from './preprocessing_state';
import { limitSeed, splitRecords } from './record_split';
import { DataSource, loadRecords, resolveSource } from './sources';

type SequenceSection = ClassificationData | TaggingData;

function inputPath(section: SequenceSection): string {
  return section.tokensField !== undefined ? 'data.tokensField' : 'data.textField';
}

function newTokenizer(section: SequenceSection): Tokenizer {
  return new Tokenizer({
    level: section.level,
    lower: section.lower,
    numWords: section.numWords,
    oovToken: section.oovToken,
    // Tagging keeps every token so that tags stay aligned: no punctuation filtering.
    filters: section.kind === 'tagging' ? (section.filters ?? '') : section.filters,
  });
}

/**
 * JSONL/CSV records -> (split) -> tokenizer fitted on the training records -> padded ids, with class
 * indices (classification) or per-token tag indices where 0 is the padding tag (tagging).
 */
export function prepareSequences(section: SequenceSection, ctx: PrepareContext): PreparedData {
  const source = resolveSource(section, ctx.baseDir);
  const records = atPath(ctx.file, sourcePath(section), () => loadRecords(source, section.limit, limitSeed(ctx.seed)));
  if (records.length === 0) throw settingError(ctx.file, sourcePath(section), 'no records', 'give a file with one JSON object per line');
  const { train, validation } = splitRecords(records, section, ctx.seed);
  const rawText = isRawText(section);
  if (rawText) checkRawTextSection(section, ctx.file);
  // Raw text is tokenized by the model's TextVectorization; otherwise a tokenizer fitted on the training records.
  const tokenizer = rawText ? null : newTokenizer(section);
  if (tokenizer) atPath(ctx.file, inputPath(section), () => tokenizer.fitOnTexts(train.map((r) => recordInput(r, section))));
  const labelPath = section.kind === 'classification' ? 'data.labelField' : 'data.tagsField';
  const labels = atPath(ctx.file, labelPath, () => fitLabelVocabulary(allLabels(section, records)));
  const labelEncoding = resolveLabelEncoding(section.labelEncoding, ctx.loss);
  const classes = section.kind === 'classification' ? labels.length : labels.length + 1;
  if (labelEncoding === 'binary' && (section.kind === 'tagging' || classes !== 2)) {
    throw settingError(
      ctx.file,
      'data.labelEncoding',
      section.kind === 'tagging' ? 'tags cannot be binary' : `binary labels need exactly 2 classes, the data has ${classes}: ${labels.map((l) => JSON.stringify(l)).join(', ')}`,
      "use 'sparse' or 'oneHot' labels with a categorical loss",
    );
  }
  const vocabSize = tokenizer ? tokenizer.vocabularySize : (section.numWords as number);
  const dims: Record<string, number> = { vocabSize, maxLen: section.maxLen, numClasses: classes, outputSize: labelEncoding === 'binary' ? 1 : classes };
  if (section.kind === 'tagging') dims.numTags = classes;
  const state: PreprocessingState = {
    format: 'recurrent-preprocessing',
    version: 1,
    kind: section.kind,
    data: section,
    labelEncoding,
    dims,
    ...(tokenizer ? { tokenizer: tokenizer.toJSON() } : {}),
    labels,
  };
  const encode = (part: DataRecord[]) => atPath(ctx.file, labelPath, () => sequenceExamples(part, state));
  return { state, train: encode(train), validation: validation.length > 0 ? encode(validation) : null };
}

/** Examples of other records with a trained model's tokenizer and labels (evaluate). */
export function encodeSequences(state: PreprocessingState, source: DataSource): ExampleSet {
  return sequenceExamples(loadRecords(source), state);
}

function allLabels(section: SequenceSection, records: DataRecord[]) {
  if (section.kind === 'classification') return records.map((r) => recordLabel(r, section.labelField));
  return records.flatMap((r) => recordTokens(r, section.tagsField)).filter((t) => t !== PAD_TAG);
}


function checkRawTextSection(section: SequenceSection, file: string): void {
  if (section.tokensField !== undefined) {
    throw settingError(file, 'data.tokensField', "encoding 'text' reads raw strings, not token lists", 'give the text in data.textField');
  }
  if (section.numWords === undefined) {
    throw settingError(file, 'data.numWords', "encoding 'text' needs the vocabulary size", 'give the vocabulary size (numWords), and write "$vocabSize" as max_tokens of TextVectorization and input_dim of Embedding');
  }
}

/** The raw texts of records, as the model's string input takes them. */
export function rawTextFeature(records: DataRecord[], section: SequenceSection): Feature {
  return textFeature(records.map((r) => recordText(r, section.textField ?? 'text')));
}

function sequenceExamples(records: DataRecord[], state: PreprocessingState): ExampleSet {
  const section = state.data as SequenceSection;
  if (isRawText(section)) {
    const labels = new LabelIndex(state.labels ?? []);
    const labelField = (section as ClassificationData).labelField;
    const y = numericArray('int32', [records.length]);
    records.forEach((r, i) => {
      y.data[i] = labels.indexOf(recordLabel(r, labelField), { file: r.file, line: r.line, field: labelField });
    });
    return exampleSet([rawTextFeature(records, section)], [labelTarget(y, state)]);
  }
  const tokenizer = stateTokenizer(state);
  const labels = state.labels ?? [];
  const padding = { maxLen: section.maxLen, padding: section.padding, truncating: section.truncating };
  const { x, y } =
    section.kind === 'classification'
      ? encodeClassification(records, tokenizer, new LabelIndex(labels), { ...section, ...padding })
      : encodeTagging(records, tokenizer, new LabelIndex(labels, 1), { ...section, ...padding });
  const input: Feature = { array: x, oneHot: section.encoding === 'oneHot' ? { depth: tokenizer.vocabularySize, zeroForPadding: true } : undefined };
  return exampleSet([input], [labelTarget(y, state)]);
}

/** Class (or tag) indices as the loss takes them: indices, one-hot rows, or 0/1 floats. */
function labelTarget(y: NumericArray, state: PreprocessingState): Feature {
  const encoding = state.labelEncoding as LabelEncoding;
  if (encoding === 'oneHot') return { array: y, oneHot: { depth: state.dims.numClasses, zeroForPadding: state.kind === 'tagging' } };
  if (encoding === 'binary') return { array: { ...y, shape: [...y.shape, 1] }, asFloat: true };
  return { array: y };
}
