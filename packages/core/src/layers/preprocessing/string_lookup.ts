import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, finiteNumber, inputDtypeSchema, nonNegativeInt, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor, type TensorDType } from '../../engine/types';
import { canonicalOutputMode, encodedShape, encodeIndices, type OutputMode } from './categorical_encoding';
import { adaptRows, stringBatch } from './string_batches';
import { notInTfjs } from '../tfjs_dialect';
import { inverseDocumentFrequencies, learnTerms, termsOf, TokenCounts, Vocabulary, type VocabularyLayout } from './vocabulary';

/** The arguments of the vocabulary and its output, shared with TextVectorization (which holds a StringLookup). */
export const lookupArgsShape = {
  /** Largest vocabulary, special tokens included; adapt keeps the most frequent terms. */
  maxTokens: z.number().refine((v) => Number.isInteger(v) && v > 1, { error: (iss) => `expected an integer greater than 1 (the vocabulary counts its special tokens), got ${JSON.stringify(iss.input)}` }).nullish(),
  /** The terms (optionally preceded by the special tokens, as getVocabulary() lists them); else learned by adapt(). */
  vocabulary: z.array(z.string(), { error: (iss) => `expected a list of strings (read a vocabulary file yourself), got ${JSON.stringify(iss.input)?.slice(0, 60)}` }).nullish(),
  /** tf_idf output: the inverse document frequency of each vocabulary entry. */
  idfWeights: z.array(finiteNumber()).nullish(),
  outputMode: z.enum(['int', 'one_hot', 'multi_hot', 'count', 'tf_idf', 'binary', 'tf-idf'], {
    error: (iss) => `expected "int", "one_hot", "multi_hot", "count" or "tf_idf", got ${JSON.stringify(iss.input)}`,
  }).optional(),
  /** multi_hot, count, tf_idf: output maxTokens entries whatever the vocabulary's size. */
  padToMaxTokens: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'utf8'], { error: (iss) => `only UTF-8 text is supported, got ${JSON.stringify(iss.input)}` }).optional(),
  /** Written by Keras (the vocabulary's size once known); checked against the vocabulary. */
  vocabularySize: nonNegativeInt().nullish(),
  /** Keras 2 gave preprocessing layers dtype "string". */
  dtype: inputDtypeSchema.nullish(),
};

export const stringLookupArgsSchema = baseLayerArgsSchema.extend({
  ...lookupArgsShape,
  /** Indices for tokens outside the vocabulary (several: chosen by FarmHash, as TensorFlow does); 0 makes them an error. */
  numOovIndices: nonNegativeInt().optional(),
  /** A token that means "nothing here": index 0 in int output, left out of the other outputs. */
  maskToken: z.string().nullish(),
  /** The token an inverted lookup gives for OOV indices. */
  oovToken: z.string().optional(),
  /** Map indices back to tokens (int output only). */
  invert: z.boolean().optional(),
}).strict();

export type StringLookupArgs = z.input<typeof stringLookupArgsSchema>;

/** Keras's argument rules for the lookup options (shared with TextVectorization). */
export function checkLookupOptions(owner: string, a: { maxTokens?: number | null; padToMaxTokens?: boolean; idfWeights?: number[] | null; vocabulary?: string[] | null }, mode: OutputMode): void {
  if (a.padToMaxTokens && a.maxTokens == null) throw new Error(`${owner}: padToMaxTokens needs maxTokens.`);
  if (a.padToMaxTokens && mode === 'int') throw new Error(`${owner}: padToMaxTokens applies to the multi_hot, count and tf_idf outputs only.`);
  if (a.idfWeights != null && mode !== 'tf_idf') throw new Error(`${owner}: idfWeights are only used by outputMode "tf_idf".`);
  if (mode === 'tf_idf' && a.vocabulary != null && a.idfWeights == null) throw new Error(`${owner}: outputMode "tf_idf" with a given vocabulary needs its idfWeights too.`);
}

/**
 * Strings -> vocabulary indices (Keras's StringLookup): `int` gives each token's index (with `invert`,
 * indices back to tokens), `one_hot` a vector per token, `multi_hot` / `count` / `tf_idf` one vector
 * per sample (the last axis holds a sample's tokens). Index order: the mask token (int output with a
 * mask token), `numOovIndices` OOV indices, then the terms. The vocabulary is given or learned by
 * `adapt()` (most frequent first) and saved in the layer's config.
 */
export class StringLookup extends Layer {
  static override className = 'StringLookup';
  static adaptConfigForTfjs = notInTfjs('StringLookup');
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: string | null;
  readonly oovToken: string;
  readonly invert: boolean;
  readonly outputMode: OutputMode;
  readonly padToMaxTokens: boolean;
  private vocabulary: Vocabulary | null = null;
  /**
   * The vocabulary size a config named without holding the vocabulary (Keras 3 keeps an adapted one in
   * the .keras archive's assets): the vocabulary set later must have it.
   */
  private expectedSize: number | null;
  /** tf_idf: one weight per output entry (front: the OOV entries, back: zeros up to maxTokens). */
  private idf: Float32Array | null = null;

  constructor(args: StringLookupArgs = {}) {
    const a = parseLayerArgs('StringLookup', stringLookupArgsSchema, args);
    // The dtype of what it reads (Keras 2's convention), so a model built around it is fed that.
    super({ ...a, dtype: a.dtype ?? (a.invert ? 'int32' : 'string') });
    this.maxTokens = a.maxTokens ?? null;
    this.numOovIndices = a.numOovIndices ?? 1;
    this.maskToken = a.maskToken ?? null;
    this.oovToken = a.oovToken ?? '[UNK]';
    this.invert = a.invert ?? false;
    this.outputMode = canonicalOutputMode(a.outputMode ?? 'int');
    this.padToMaxTokens = a.padToMaxTokens ?? false;
    if (this.invert && this.outputMode !== 'int') throw new Error(`StringLookup: invert needs outputMode "int", got "${this.outputMode}".`);
    checkLookupOptions('StringLookup', a, this.outputMode);
    this.expectedSize = a.vocabularySize ?? null;
    if (a.vocabulary != null) this.setVocabulary(a.vocabulary, a.idfWeights ?? null);
  }

  private get layout(): VocabularyLayout {
    return { maskIndices: this.maskToken !== null && this.outputMode === 'int' ? 1 : 0, numOovIndices: this.numOovIndices, maskToken: this.maskToken, oovToken: this.oovToken };
  }

  /** Sets the vocabulary (terms, optionally preceded by the special tokens) and, for tf_idf, its weights. */
  setVocabulary(vocabulary: readonly string[], idfWeights: readonly number[] | null = null): void {
    if (this.outputMode === 'tf_idf' && idfWeights === null) throw new Error(`${this.describe()}: outputMode "tf_idf" needs idfWeights with the vocabulary.`);
    if (this.outputMode !== 'tf_idf' && idfWeights !== null) throw new Error(`${this.describe()}: idfWeights are only used by outputMode "tf_idf".`);
    const terms = termsOf(this.layout, vocabulary, this.describe());
    const next = new Vocabulary(this.layout, terms);
    if (this.expectedSize !== null && next.size !== this.expectedSize) {
      throw new Error(`${this.describe()}: the vocabulary has ${next.size} entries (special tokens included) but vocabularySize says ${this.expectedSize}.`);
    }
    if (this.maxTokens !== null && next.size > this.maxTokens) {
      throw new Error(`${this.describe()}: the vocabulary has ${next.size} entries (special tokens included), more than maxTokens ${this.maxTokens}.`);
    }
    if (idfWeights !== null) {
      if (idfWeights.length !== vocabulary.length) throw new Error(`${this.describe()}: ${idfWeights.length} idfWeights for a vocabulary of ${vocabulary.length}; give one per entry.`);
      // Weights for the special entries too when the vocabulary lists them; else their average (Keras).
      const front = vocabulary.length === terms.length ? next.termStart : 0;
      const average = idfWeights.reduce((s, w) => s + w, 0) / idfWeights.length;
      const weights = new Float32Array(this.outputDepth(next.size));
      weights.fill(average, 0, front);
      weights.set(idfWeights, front);
      this.idf = weights;
    }
    this.vocabulary = next;
  }

  /** Whether a vocabulary is set (given, adapted, or read from a Keras archive's assets). */
  hasVocabulary(): boolean {
    return this.vocabulary !== null;
  }

  /** Every entry by index (special tokens first), or only the terms. */
  getVocabulary(includeSpecialTokens = true): string[] {
    if (this.vocabulary === null) return includeSpecialTokens ? new Vocabulary(this.layout, []).entries() : [];
    return includeSpecialTokens ? this.vocabulary.entries() : [...this.vocabulary.terms];
  }

  /** Entries of the vocabulary, special tokens included. */
  vocabularySize(): number {
    return (this.vocabulary ?? new Vocabulary(this.layout, [])).size;
  }

  /**
   * Learns the vocabulary from strings (an array, a string tensor, or an iterable of batches): each row
   * (the last axis; a flat list: each string; lists of token lists may differ in length) is a document.
   * Replaces any vocabulary it had.
   */
  adapt(data: unknown, opts: { steps?: number } = {}): void {
    const counts = new TokenCounts();
    for (const rows of adaptRows(data, `${this.describe()}: adapt`, opts.steps)) rows.forEach((row) => counts.addDocument(row));
    this.learn(counts);
  }

  /** Sets the vocabulary (and tf_idf weights) learned from counted documents; TextVectorization counts its own. */
  learn(counts: TokenCounts): void {
    if (counts.counts.size === 0) throw new Error(`${this.describe()}: adapt found no tokens; give it some text.`);
    const terms = learnTerms(counts, this.layout, this.maxTokens === null ? null : this.maxTokens - new Vocabulary(this.layout, []).termStart);
    this.expectedSize = null;
    this.setVocabulary(terms, this.outputMode === 'tf_idf' ? inverseDocumentFrequencies(counts, terms) : null);
  }

  /** Output entries of one vector (non-int outputs). */
  private outputDepth(vocabularySize: number): number {
    return this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens : vocabularySize;
  }

  private requireVocabulary(): Vocabulary {
    if (this.vocabulary !== null) return this.vocabulary;
    if (this.expectedSize !== null) {
      throw new Error(`${this.describe()}: its config names a vocabulary of ${this.expectedSize} entries but does not hold it (Keras 3 keeps an adapted vocabulary in the .keras archive's assets); set it with setVocabulary(), or adapt() the layer again.`);
    }
    throw new Error(`${this.describe()}: has no vocabulary yet; give one (vocabulary) or learn it first (adapt).`);
  }

  /** The indices of tokens; an unknown token is an error when there are no OOV indices. */
  indicesOf(tokens: readonly string[]): Int32Array {
    const vocabulary = this.requireVocabulary();
    const out = new Int32Array(tokens.length);
    tokens.forEach((t, i) => {
      const index = vocabulary.lookup(t);
      if (index === -1) throw new Error(`${this.describe()}: ${JSON.stringify(t)} is not in the vocabulary and numOovIndices is 0; set numOovIndices to 1 to map unknown tokens to an OOV index.`);
      out[i] = index;
    });
    return out;
  }

  /** Indices (negative: counted nowhere) of `shape` -> the layer's output. */
  encode(indices: Int32Array, shape: number[]): Tensor {
    if (this.outputMode === 'int') return tf.tensor(indices, shape, 'int32');
    const depth = this.outputDepth(this.requireVocabulary().size);
    return encodeIndices(indices, shape, this.outputMode, depth, this.idf);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.invert) {
      if (x.dtype === 'string' || x.dtype === 'bool') throw new Error(`${this.describe()}: an inverted lookup takes integer indices, got a ${x.dtype} tensor.`);
      const vocabulary = this.requireVocabulary();
      return tf.tensor(Array.from(x.dataSync()).map((i) => vocabulary.entryAt(i)), [...x.shape], 'string');
    }
    const batch = stringBatch(x, this.describe());
    return this.encode(this.indicesOf(batch.values), batch.shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (this.outputMode === 'int') return [...shape];
    if (shape.length === 0) throw new Error(`${this.describe()}: needs a batch of inputs, got shape ${formatShape(shape)}.`);
    return encodedShape(shape, this.outputMode, this.vocabulary === null && !this.padToMaxTokens ? null : this.outputDepth(this.vocabularySize()));
  }

  override computeOutputDType(): TensorDType {
    if (this.invert) return 'string';
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  override get inputDType(): TensorDType {
    return this.invert ? 'int32' : 'string';
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      invert: this.invert,
      maxTokens: this.maxTokens,
      numOovIndices: this.numOovIndices,
      oovToken: this.oovToken,
      maskToken: this.maskToken,
      outputMode: this.outputMode,
      padToMaxTokens: this.padToMaxTokens,
      // The vocabulary travels in the config (Keras writes a given one there, an adapted one in assets).
      vocabulary: this.vocabulary === null ? null : this.vocabulary.entries(),
      idfWeights: this.idf === null ? null : Array.from(this.idf.subarray(0, this.vocabularySize())),
      encoding: 'utf-8',
      vocabularySize: this.vocabulary === null ? this.expectedSize : this.vocabularySize(),
    };
  }
}

registerLayer(StringLookup);
