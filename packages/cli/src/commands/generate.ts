import { SeededRandom, SequenceStepper, Sequential, generateTokens, joinTokens, type Model } from '@recurrent/core';
import { readPreprocessingState, stateTokenizer } from '../data/preprocessing_state';
import { TextData } from '../experiment/data_schema';
import { UsageError } from '../errors';
import { loadModelWithState, predictor } from '../library';
import { Output, pieceWriter } from '../output';
import { modelDir } from './model_source';

export interface GenerateOptions {
  prime: string;
  length: number;
  temperature: number;
  seed?: number;
  /** Feed each token once and carry the recurrent state, instead of re-reading the last window. */
  carryState?: boolean;
}

/** The model stepped one token at a time, or a UsageError saying why it cannot be. */
function tokenStepper(model: Model): SequenceStepper {
  const fix = 'leave out --carry-state: each token is then drawn from the model run over the last window';
  if (!(model instanceof Sequential)) throw new UsageError('--carry-state steps Sequential models, and this model is a functional one', fix);
  try {
    return new SequenceStepper(model);
  } catch (e) {
    throw new UsageError(`--carry-state cannot step this model one token at a time: ${(e as Error).message}`, fix);
  }
}

/** `recurrent generate`: samples text from a text model, printing each token as it is drawn (to a terminal; in chunks otherwise). */
export function runGenerate(dir: string, options: GenerateOptions, output: Output): void {
  const folder = modelDir(dir);
  const state = readPreprocessingState(folder);
  if (state.kind !== 'text') {
    throw new UsageError(`generate samples from text models, but this model was trained on ${state.kind} data`, 'use `recurrent predict` for it');
  }
  const data = state.data as TextData;
  const tokenizer = stateTokenizer(state);
  const primeTokens = tokenizer.tokenize(options.prime);
  const unknown = [...new Set(primeTokens.filter((t) => tokenizer.tokenToIndex(t) === null))];
  if (unknown.length > 0) output.err(`note: the prime's ${unknown.map((t) => JSON.stringify(t)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the vocabulary and ${unknown.length === 1 ? 'was' : 'were'} left out\n`);
  const primeIds = tokenizer.textToSequence(options.prime);
  const model = loadModelWithState(folder, state, false);
  const random = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  // Gathered when stdout is not a terminal; flushed in the finally, so an error keeps what was drawn.
  const text = pieceWriter(output);
  try {
    text.write(options.prime);
    let first = true;
    const predict = predictor(model);
    generateTokens({
      ...(options.carryState === true ? { stepper: tokenStepper(model) } : { predict: (x) => predict([x])[0] }),
      tokenizer,
      seqLength: data.seqLength,
      encoding: data.encoding === 'oneHot' ? 'oneHot' : 'ids',
      vocabularySize: state.dims.vocabSize,
      primeIds,
      length: options.length,
      temperature: options.temperature,
      random,
      onToken: (token) => {
        text.write(joinTokens([token], data.level, !first || options.prime.length > 0));
        first = false;
      },
    });
    text.write('\n');
  } finally {
    text.flush();
    model.dispose();
  }
}
