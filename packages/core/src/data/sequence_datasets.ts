import { DataError } from './data_error';
import { LabelIndex } from './label_vocabulary';
import { NumericArray, numericArray } from './numeric_array';
import { PadSide, padSequencesArray } from './pad_sequences';
import { DataRecord, recordLabel, recordText, recordTokens } from './records';
import { Tokenizer } from './tokenizer';

/** Where a record's input sequence is: a text field (tokenised) or a field holding a list of tokens. */
export interface InputFieldOptions {
  textField?: string;
  tokensField?: string;
}

export interface PaddingOptions {
  maxLen: number;
  padding?: PadSide;
  truncating?: PadSide;
}

/** The raw input of a record: its text, or its token list. */
export function recordInput(record: DataRecord, fields: InputFieldOptions): string | string[] {
  if (fields.tokensField !== undefined) return recordTokens(record, fields.tokensField);
  if (fields.textField !== undefined) return recordText(record, fields.textField);
  throw new RangeError('sequence dataset: set textField or tokensField');
}

/** Ids of the inputs, padded/truncated: [n, maxLen] int32. */
export function encodeInputs(
  inputs: readonly (string | readonly string[])[],
  tokenizer: Tokenizer,
  { maxLen, padding = 'pre', truncating = 'pre' }: PaddingOptions,
): NumericArray {
  return padSequencesArray(tokenizer.textsToSequences(inputs), { maxLen, padding, truncating });
}

/** Many-to-one: x [n, maxLen] token ids, y [n] class indices. */
export function encodeClassification(
  records: readonly DataRecord[],
  tokenizer: Tokenizer,
  labels: LabelIndex,
  options: InputFieldOptions & PaddingOptions & { labelField: string },
): { x: NumericArray; y: NumericArray } {
  const x = encodeInputs(records.map((r) => recordInput(r, options)), tokenizer, options);
  const y = numericArray('int32', [records.length]);
  records.forEach((r, i) => {
    y.data[i] = labels.indexOf(recordLabel(r, options.labelField), { file: r.file, line: r.line, field: options.labelField });
  });
  return { x, y };
}

/** The tag given to padded positions in tagging datasets (class index 0). */
export const PAD_TAG = '<pad>';

/**
 * Many-to-many aligned (one tag per token): x [n, maxLen] token ids, y [n, maxLen] tag indices where
 * 0 is the padding tag (`labels` built with offset 1). Padding and truncation are applied to tokens
 * and tags alike so they stay aligned; the tokenizer needs an OOV token, since dropping unknown
 * tokens would shift the tags.
 */
export function encodeTagging(
  records: readonly DataRecord[],
  tokenizer: Tokenizer,
  tags: LabelIndex,
  options: InputFieldOptions & PaddingOptions & { tagsField: string },
): { x: NumericArray; y: NumericArray } {
  if (tokenizer.oovIndex === null) {
    throw new RangeError('tagging: the tokenizer needs an oovToken so that unknown tokens keep their place beside their tags');
  }
  const tokenRows: number[][] = [];
  const tagRows: number[][] = [];
  for (const r of records) {
    const tokens = tokenizer.tokenize(recordInput(r, options));
    const rowTags = recordTokens(r, options.tagsField);
    if (rowTags.length !== tokens.length) {
      throw new DataError(`${tokens.length} tokens but ${rowTags.length} tags`, {
        file: r.file,
        line: r.line,
        field: options.tagsField,
        fix: 'give exactly one tag per token (texts are split on the tokenizer separator; prefer a tokens field)',
      });
    }
    tokenRows.push(tokens.map((t) => tokenizer.tokenToIndex(t) as number));
    tagRows.push(rowTags.map((t) => tags.indexOf(t, { file: r.file, line: r.line, field: options.tagsField })));
  }
  const { maxLen, padding = 'pre', truncating = 'pre' } = options;
  return {
    x: padSequencesArray(tokenRows, { maxLen, padding, truncating }),
    y: padSequencesArray(tagRows, { maxLen, padding, truncating }),
  };
}

export interface Seq2SeqOptions {
  sourceField: string;
  targetField: string;
  /** Source tokens kept (padding/truncation side configurable; default 'pre'/'post'). */
  maxSourceLen: number;
  sourcePadding?: PadSide;
  sourceTruncating?: PadSide;
  /** Decoder steps: target tokens + 1 (the start or end marker); longer targets are cut at the end. */
  maxTargetLen: number;
  startToken: string;
  endToken: string;
}

/**
 * Sequence to sequence with teacher forcing: encoderInput [n, S] source ids; decoderInput [n, T] =
 * start marker + target ids; decoderTarget [n, T] = target ids + end marker (both padded after).
 * The target tokenizer must hold the markers as reserved tokens.
 */
export function encodeSeq2Seq(
  records: readonly DataRecord[],
  sourceTokenizer: Tokenizer,
  targetTokenizer: Tokenizer,
  options: Seq2SeqOptions,
): { encoderInput: NumericArray; decoderInput: NumericArray; decoderTarget: NumericArray } {
  const encoderInput = padSequencesArray(
    sourceTokenizer.textsToSequences(records.map((r) => recordText(r, options.sourceField))),
    { maxLen: options.maxSourceLen, padding: options.sourcePadding ?? 'pre', truncating: options.sourceTruncating ?? 'post' },
  );
  const start = markerIndex(targetTokenizer, options.startToken);
  const end = markerIndex(targetTokenizer, options.endToken);
  const inputs: number[][] = [];
  const targets: number[][] = [];
  for (const r of records) {
    const ids = targetTokenizer.textToSequence(recordText(r, options.targetField)).slice(0, options.maxTargetLen - 1);
    inputs.push([start, ...ids]);
    targets.push([...ids, end]);
  }
  const post = { maxLen: options.maxTargetLen, padding: 'post' as const, truncating: 'post' as const };
  return { encoderInput, decoderInput: padSequencesArray(inputs, post), decoderTarget: padSequencesArray(targets, post) };
}

function markerIndex(tokenizer: Tokenizer, token: string): number {
  const index = tokenizer.wordIndex.get(token);
  if (index === undefined) throw new RangeError(`seq2seq: the target tokenizer has no '${token}' marker; add it to reservedTokens`);
  return index;
}
