/**
 * Sampling text from a next-token model (the chapter's character and word language models): the last
 * seqLength token ids go in (as ids, or one-hot vectors of the vocabulary), a probability vector over
 * the vocabulary comes out, and the next token is drawn from it at a temperature.
 */
import * as tf from '@tensorflow/tfjs';
import { numericArray, oneHotArray, toTensor } from './numeric_array';
import type { SeededRandom } from './seeded_random';
import type { Tokenizer, TokenizerLevel } from './tokenizer';

/**
 * Draws a token index from a probability vector at a temperature: p_i^(1/T) renormalised (computed as
 * a softmax of log p / T). Temperature 0 takes the most probable token (greedy).
 */
/** sampleIndex's weights, kept between draws (read only within one call). */
let sampleWeights = new Float64Array(0);

export function sampleIndex(probabilities: ArrayLike<number>, temperature: number, random: SeededRandom, exclude: ReadonlySet<number> = new Set()): number {
  // Without exclusions (every generator's draw) the loops skip the set's lookups, two per token of the
  // vocabulary: about a quarter of a draw's time (40 tokens: 1.90 us a draw before, 1.44 after). The same values either way.
  const excluding = exclude.size > 0;
  let best = -1;
  for (let i = 0; i < probabilities.length; i++) if (!(excluding && exclude.has(i)) && (best < 0 || probabilities[i] > probabilities[best])) best = i;
  if (temperature === 0) return best;
  // Plain loops over one float64 array (a generator draws a token per step): log p / T, then its
  // softmax's weights, summed in order. The array is reused from draw to draw: Node allocates a new one
  // over 64 bytes outside the heap, which cost more than the arithmetic of a small vocabulary.
  const n = probabilities.length;
  if (sampleWeights.length < n) sampleWeights = new Float64Array(n);
  const weights = sampleWeights;
  let top = -Infinity;
  for (let i = 0; i < n; i++) {
    weights[i] = excluding && exclude.has(i) ? -Infinity : Math.log(Math.max(probabilities[i], 1e-30)) / temperature;
    top = Math.max(top, weights[i]);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = Math.exp(weights[i] - top);
    total += weights[i];
  }
  let r = random.next() * total;
  for (let i = 0; i < n; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return best;
}

/** How a model takes its token window: ids (an Embedding first) or one-hot vectors (id 0, padding, all zeros). */
export type TokenEncoding = 'ids' | 'oneHot';

/**
 * A model run one timestep at a time with its recurrent state carried between calls (what
 * `SequenceStepper` does): `step` takes one step's input (a token id, or a one-hot vector) and returns
 * the output for that step. The input array is lent for the call only: the generator writes the next
 * step's input into the same array.
 */
export interface TokenStepper {
  step(input: ArrayLike<number>): Float32Array;
  resetStates(): void;
}

export interface GenerateTokensOptions {
  /**
   * The model's forward pass on one window ([1, seqLength] ids or [1, seqLength, vocabularySize] one-hot):
   * each token is drawn from the model run over the last seqLength tokens, as it was trained.
   */
  predict?: (x: tf.Tensor) => tf.Tensor;
  /**
   * Instead of `predict`: the model stepped one token at a time with its state carried. It reads the
   * first window as `predict` would (so the first token is drawn from the same probabilities), then each
   * drawn token once: one timestep per token instead of seqLength, and a context that grows beyond the
   * training windows.
   */
  stepper?: TokenStepper;
  tokenizer: Tokenizer;
  /** Tokens the model sees at once; shorter windows are padded in front with id 0. */
  seqLength: number;
  encoding: TokenEncoding;
  /** Width of the one-hot vectors and of the output (default: the tokenizer's vocabularySize). */
  vocabularySize?: number;
  /** Token ids the text starts from. */
  primeIds: readonly number[];
  length: number;
  temperature: number;
  random: SeededRandom;
  /** Called with each generated token as soon as it is drawn. */
  onToken?: (token: string) => void;
}

/** The last seqLength ids, padded in front with id 0. */
function lastWindow(ids: readonly number[], seqLength: number): number[] {
  const recent = ids.slice(-seqLength);
  return [...new Array<number>(seqLength - recent.length).fill(0), ...recent];
}

/** The probabilities of the next token from the model run over the last window. */
function windowProbabilities(predict: (x: tf.Tensor) => tf.Tensor, ids: readonly number[], seqLength: number, encoding: TokenEncoding, depth: number): Float32Array {
  const window = numericArray('int32', [1, seqLength]);
  window.data.set(lastWindow(ids, seqLength));
  let probabilities: Float32Array = new Float32Array(0);
  // The tidy returns nothing: tfjs walks a returned value to find tensors, a typed array element by element.
  tf.tidy(() => {
    const x = toTensor(encoding === 'oneHot' ? oneHotArray(window, depth, { zeroForPadding: true }) : window);
    const y = predict(x);
    const last = y.rank === 3 ? y.slice([0, (y.shape[1] as number) - 1, 0], [1, 1, -1]).reshape([-1]) : y.reshape([-1]);
    probabilities = last.dataSync() as Float32Array;
  });
  return probabilities;
}

/**
 * Feeds token ids to a stepper one step each and returns the output of the last. `oneHot` (one-hot
 * encoding: all zeros, `depth` long; null for ids) is the step's input, set and cleared around each step.
 */
function stepTokens(stepper: TokenStepper, ids: readonly number[], oneHot: Float32Array | null): Float32Array {
  let out: Float32Array | null = null;
  for (const id of ids) {
    if (oneHot === null) {
      out = stepper.step([id]);
    } else {
      // id 0 is padding: an all-zero step, as oneHotArray's zeroForPadding writes it.
      if (id !== 0) oneHot[id] = 1;
      out = stepper.step(oneHot);
      oneHot[id] = 0;
    }
  }
  if (out === null) throw new Error('stepTokens: no token to feed.');
  return out;
}

/**
 * Generates `length` tokens, one at a time over the last seqLength tokens (or, with a stepper, carrying
 * the state). A model that predicts a token at every step ([1, seqLength, V]) is read at its last step.
 * Padding (0) and the OOV token are never drawn.
 */
export function generateTokens(options: GenerateTokensOptions): string[] {
  const { tokenizer, seqLength, length, temperature, random, predict, stepper, encoding } = options;
  if ((predict === undefined) === (stepper === undefined)) throw new Error('generateTokens: give either predict (windows) or stepper (carried state), not both or neither.');
  const depth = options.vocabularySize ?? tokenizer.vocabularySize;
  const exclude = new Set([0, ...(tokenizer.oovIndex !== null ? [tokenizer.oovIndex] : [])]);
  const ids = [...options.primeIds];
  const out: string[] = [];
  if (stepper !== undefined) stepper.resetStates();
  // One input array for every step of a carried-state generation (the stepper reads it during the step only).
  const oneHot = stepper !== undefined && encoding === 'oneHot' ? new Float32Array(depth) : null;
  for (let n = 0; n < length; n++) {
    let probabilities: Float32Array;
    if (predict !== undefined) probabilities = windowProbabilities(predict, ids, seqLength, encoding, depth);
    else probabilities = stepTokens(stepper as TokenStepper, n === 0 ? lastWindow(ids, seqLength) : [ids[ids.length - 1]], oneHot);
    const next = sampleIndex(probabilities, temperature, random, exclude);
    ids.push(next);
    const token = tokenizer.sequenceToTokens([next])[0] ?? '';
    out.push(token);
    options.onToken?.(token);
  }
  return out;
}

/** Joins tokens as the tokenizer level writes them (characters together, words with spaces). */
export function joinTokens(tokens: readonly string[], level: TokenizerLevel, afterPrime: boolean): string {
  if (level === 'char') return tokens.join('');
  return tokens.map((t, i) => (i === 0 && !afterPrime ? t : ` ${t}`)).join('');
}
