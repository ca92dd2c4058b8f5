import * as fs from 'fs';
import * as path from 'path';
import { Label, NormalizationStats, Tokenizer, TokenizerJSON } from '@recurrent/core';
import { DataKind, DataSection } from '../experiment/data_schema';
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

export function readPreprocessingState(modelDir: string): PreprocessingState {
  const file = path.join(modelDir, PREPROCESSING_FILE);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `${modelDir} has no ${PREPROCESSING_FILE}, so raw input cannot be encoded for this model`,
      'give a directory written by `recurrent fit` (it holds model.json, weights.bin and preprocessing.json)',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`, 'rerun `recurrent fit` to write it again');
  }
  const state = parsed as PreprocessingState;
  if (state?.format !== 'recurrent-preprocessing' || state.version !== 1) {
    throw new UsageError(`${file} is not a recurrent preprocessing file (version 1)`, 'rerun `recurrent fit` to write it again');
  }
  return state;
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
