import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { FileAccessError, Label, NormalizationStats, Tokenizer, TokenizerJSON, jsonSyntaxProblem, readRegularFile } from '@recurrent/core';
import { DataKind, DataSection, dataSchema, isRawText } from '../experiment/data_schema';
import { UsageError } from '../errors';
import { LabelEncoding } from './label_encoding';

export const PREPROCESSING_FILE = 'preprocessing.json';

/**
 * Everything needed to turn raw input into model input (and model output back into labels, tokens
 * or raw values) for a trained model: saved beside the model so predict, evaluate and generate take
 * raw text, records or CSV rows.
 */
export interface PreprocessingState {
  format: 'recurrent-preprocessing';
  version: 1;
  kind: DataKind;
  /** The data section the model was trained with (defaults filled in). */
  data: DataSection;
  labelEncoding: LabelEncoding | 'none';
  /** Sizes the model was built with (the values of the model placeholders). */
  dims: Record<string, number>;
  tokenizer?: TokenizerJSON;
  targetTokenizer?: TokenizerJSON;
  /** Class labels (classification) or tags without the padding tag (tagging). */
  labels?: Label[];
  /** Statistics of the feature and target columns (time series). */
  normalization?: NormalizationStats;
}

export function writePreprocessingState(dir: string, state: PreprocessingState): void {
  writeFileAtomic(path.join(dir, PREPROCESSING_FILE), JSON.stringify(state, null, 2) + '\n');
}

/** preprocessing.json holds a data section, tokenizers and statistics: far below this. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const tokenizerJson = z.looseObject({
  className: z.literal('Tokenizer'),
  config: z.record(z.string(), z.unknown()),
  documentCount: count,
  wordCounts: z.array(z.tuple([z.string(), count])),
});
const label = z.union([z.string(), z.number(), z.boolean()]);
const finite = z.number().refine(Number.isFinite, 'expected a finite number');

/** What preprocessing.json must hold before any of it is used (sizes, tokenizers, statistics). */
const stateSchema = z.strictObject({
  format: z.literal('recurrent-preprocessing'),
  version: z.literal(1),
  kind: z.enum(['text', 'timeseries', 'classification', 'tagging', 'seq2seq']),
  data: dataSchema,
  labelEncoding: z.enum(['sparse', 'oneHot', 'binary', 'none']),
  dims: z.record(z.string(), z.number().int().min(0).max(2 ** 31 - 1)),
  tokenizer: tokenizerJson.optional(),
  targetTokenizer: tokenizerJson.optional(),
  labels: z.array(label).optional(),
  normalization: z
    .strictObject({
      method: z.enum(['zscore', 'minmax', 'none']),
      columns: z.array(z.strictObject({ column: z.string(), mean: finite.optional(), std: finite.optional(), min: finite.optional(), max: finite.optional() })),
    })
    .optional(),
});

function damaged(file: string, problem: string): UsageError {
  return new UsageError(`${file} is damaged: ${problem}`, 'rerun `recurrent fit` to write it again, or copy the whole model folder');
}

export function readPreprocessingState(modelDir: string): PreprocessingState {
  const file = path.join(modelDir, PREPROCESSING_FILE);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `${modelDir} has no ${PREPROCESSING_FILE}, so raw input cannot be encoded for this model`,
      'give a directory written by `recurrent fit` (it holds model.json, weights.bin and preprocessing.json)',
    );
  }
  let text: string;
  try {
    text = readRegularFile(file, { maxBytes: MAX_STATE_BYTES, links: { inside: fs.realpathSync(modelDir) }, what: PREPROCESSING_FILE }).toString('utf8');
  } catch (e) {
    if (e instanceof FileAccessError) throw damaged(file, e.reason);
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw damaged(file, `not valid JSON ${jsonSyntaxProblem(text, (e as Error).message)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { format?: unknown }).format !== 'recurrent-preprocessing' || (parsed as { version?: unknown }).version !== 1) {
    throw new UsageError(`${file} is not a recurrent preprocessing file (version 1)`, 'rerun `recurrent fit` to write it again');
  }
  const checked = stateSchema.safeParse(parsed);
  if (!checked.success) {
    const first = checked.error.issues[0];
    const more = checked.error.issues.length > 1 ? ` (and ${checked.error.issues.length - 1} more problems)` : '';
    throw damaged(file, `${first.path.join('.') || 'the document'}: ${first.message.slice(0, 200)}${more}`);
  }
  const state = checked.data as PreprocessingState;
  if (state.kind !== state.data.kind) throw damaged(file, `kind '${state.kind}' differs from the data section's '${state.data.kind}'`);
  return state;
}

/** The sequence lengths the state encodes, per model input: what a damaged file would get wrong. */
function inputLengths(state: PreprocessingState): number[] {
  const data = state.data;
  // Raw text goes in as one string per example; maxLen is then the length TextVectorization outputs.
  if (isRawText(data)) return [1];
  switch (data.kind) {
    case 'text':
      return [data.seqLength];
    case 'timeseries':
      return [data.window];
    case 'classification':
    case 'tagging':
      return [data.maxLen];
    case 'seq2seq':
      return [data.maxSourceLen, data.maxTargetLen];
  }
}

/**
 * Refuses a preprocessing.json whose sequence lengths differ from the model's input shapes (a damaged
 * file, or one copied from another model), before any input is encoded with them.
 */
export function checkStateMatchesModel(state: PreprocessingState, inputShapes: readonly (readonly (number | null)[])[], modelDir: string): void {
  const lengths = inputLengths(state);
  lengths.forEach((length, k) => {
    const expected = inputShapes[k]?.[1];
    if (typeof expected === 'number' && expected !== length) {
      throw damaged(
        path.join(modelDir, PREPROCESSING_FILE),
        `it encodes sequences of ${length} steps for input ${k + 1}, but the model's input takes ${expected}; it does not belong to this model`,
      );
    }
  });
}

export function stateTokenizer(state: PreprocessingState, which: 'tokenizer' | 'targetTokenizer' = 'tokenizer'): Tokenizer {
  const json = state[which];
  if (json === undefined) throw new UsageError(`this ${state.kind} model has no saved ${which}`);
  return Tokenizer.fromJSON(json);
}

/** Writes a file through a temporary name and a rename, so readers never see half a file. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}
