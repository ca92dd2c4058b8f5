import * as tf from '@tensorflow/tfjs';
import { NumericArray, SeededRandom, Tokenizer } from '@recurrent/core';
import { TextData } from '../experiment/data_schema';
import { featureTensor } from '../data/example_set';
import { PreprocessingState } from '../data/preprocessing_state';
import { Predictor } from './predictor';

/**
 * Draws a token index from a probability vector at a temperature: p_i^(1/T) renormalised (computed as
 * a softmax of log p / T). Temperature 0 takes the most probable token (greedy).
 */
export function sampleIndex(probabilities: ArrayLike<number>, temperature: number, random: SeededRandom, exclude: ReadonlySet<number> = new Set()): number {
  let best = -1;
  for (let i = 0; i < probabilities.length; i++) if (!exclude.has(i) && (best < 0 || probabilities[i] > probabilities[best])) best = i;
  if (temperature === 0) return best;
  const logits = Array.from(probabilities, (p, i) => (exclude.has(i) ? -Infinity : Math.log(Math.max(p, 1e-30)) / temperature));
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return best;
}

export interface GenerateOptions {
  predict: Predictor;
  state: PreprocessingState;
  tokenizer: Tokenizer;
  /** Token ids the text starts from. */
  primeIds: number[];
  length: number;
  temperature: number;
  random: SeededRandom;
  /** Called with each generated token as soon as it is drawn. */
  onToken?: (token: string) => void;
}

/** Next-token sampling from a text model, one token at a time over the last seqLength tokens. */
export function generateTokens(options: GenerateOptions): string[] {
  const { predict, state, tokenizer, length, temperature, random } = options;
  const data = state.data as TextData;
  const seqLength = data.seqLength;
  const vocabularySize = state.dims.vocabSize;
  // Padding (0) and, when there is one, the OOV token are never emitted.
  const exclude = new Set([0, ...(tokenizer.oovIndex !== null ? [tokenizer.oovIndex] : [])]);
  const ids = [...options.primeIds];
  const out: string[] = [];
  for (let n = 0; n < length; n++) {
    const window = ids.slice(-seqLength);
    const padded = new Int32Array(seqLength);
    padded.set(window, seqLength - window.length);
    const input: NumericArray = { dtype: 'int32', shape: [1, seqLength], data: padded };
    const probabilities = tf.tidy(() => {
      const x = featureTensor({ array: input, oneHot: data.encoding === 'oneHot' ? { depth: vocabularySize, zeroForPadding: true } : undefined });
      const [y] = predict([x]);
      // 'shifted' models predict a token at every step: the last one follows the window.
      const last = y.rank === 3 ? y.slice([0, y.shape[1] as number - 1, 0], [1, 1, -1]).reshape([-1]) : y.reshape([-1]);
      return last.dataSync() as Float32Array;
    });
    const next = sampleIndex(probabilities, temperature, random, exclude);
    ids.push(next);
    const token = tokenizer.sequenceToTokens([next])[0] ?? '';
    out.push(token);
    options.onToken?.(token);
  }
  return out;
}

/** Joins tokens as the tokenizer level writes them (characters together, words with spaces). */
export function joinTokens(tokens: string[], level: 'char' | 'word', afterPrime: boolean): string {
  if (level === 'char') return tokens.join('');
  return tokens.map((t, i) => (i === 0 && !afterPrime ? t : ` ${t}`)).join('');
}
