import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor, type TensorDType } from '../../engine/types';
import { canonicalOutputMode, type OutputMode } from './categorical_encoding';
import { adaptRows, stringBatch, type StringBatch } from './string_batches';
import { notInTfjs } from '../tfjs_dialect';
import { checkLookupOptions, lookupArgsShape, StringLookup } from './string_lookup';
import { firstWords, ngrams, splitText, standardizeText, type Split, type Standardize } from './text_processing';
import { TokenCounts } from './vocabulary';

export const textVectorizationArgsSchema = baseLayerArgsSchema.extend({
  ...lookupArgsShape,
  /** Before splitting: lowercase (ASCII) and/or remove punctuation; null for none. */
  standardize: z.enum(['lower_and_strip_punctuation', 'lower', 'strip_punctuation'], {
    error: (iss) => `expected "lower_and_strip_punctuation", "lower", "strip_punctuation" or null (functions cannot be saved: standardize the text beforehand), got ${JSON.stringify(iss.input)}`,
  }).nullable().optional(),
  /** Tokens are words (split on whitespace) or characters; null keeps each string whole. */
  split: z.enum(['whitespace', 'character'], {
    error: (iss) => `expected "whitespace", "character" or null (functions cannot be saved: split the text beforehand), got ${JSON.stringify(iss.input)}`,
  }).nullable().optional(),
  /** Add n-grams: n gives the widths 1..n, a list the widths listed. */
  ngrams: z.union([positiveInt(), z.array(positiveInt()).min(1)], { error: (iss) => `expected a positive integer or a list of them, got ${JSON.stringify(iss.input)}` }).nullish(),
  /** int output: pad (with 0) or cut every sequence to this many tokens; else to the longest of the batch. */
  outputSequenceLength: positiveInt().nullish(),
}).strict();

export type TextVectorizationArgs = z.input<typeof textVectorizationArgsSchema>;

/**
 * Raw strings -> token indices or token vectors (Keras's TextVectorization): each string is standardized,
 * split into tokens, extended with n-grams, and looked up in a vocabulary (index 0 is padding, 1 the OOV
 * token), given or learned with `adapt()`. Input: a batch of strings `[batch]` or `[batch, 1]`. Output:
 * `int` -> `[batch, length]` int32 indices; `multi_hot` / `count` / `tf_idf` -> `[batch, depth]` float32.
 */
export class TextVectorization extends Layer {
  static override className = 'TextVectorization';
  static adaptConfigForTfjs = notInTfjs('TextVectorization');
  readonly standardize: Standardize;
  readonly split: Split;
  readonly ngrams: number | number[] | null;
  readonly outputMode: OutputMode;
  readonly outputSequenceLength: number | null;
  /** The vocabulary and the output encoding (Keras holds a StringLookup with mask token ''). */
  private readonly lookup: StringLookup;

  constructor(args: TextVectorizationArgs = {}) {
    const a = parseLayerArgs('TextVectorization', textVectorizationArgsSchema, args);
    // The dtype of what it reads (Keras 2's convention), so a model built around it is fed strings.
    super({ ...a, dtype: a.dtype ?? 'string' });
    this.standardize = a.standardize === undefined ? 'lower_and_strip_punctuation' : a.standardize;
    this.split = a.split === undefined ? 'whitespace' : a.split;
    this.ngrams = Array.isArray(a.ngrams) ? [...a.ngrams] : a.ngrams ?? null;
    this.outputMode = canonicalOutputMode(a.outputMode ?? 'int');
    if (this.outputMode !== 'int' && a.outputSequenceLength != null) {
      throw new Error(`TextVectorization: outputSequenceLength applies to outputMode "int" only, got "${this.outputMode}".`);
    }
    this.outputSequenceLength = a.outputSequenceLength ?? null;
    checkLookupOptions('TextVectorization', a, this.outputMode);
    this.lookup = new StringLookup({
      name: `${this.name}_lookup`, maxTokens: a.maxTokens, vocabulary: a.vocabulary, idfWeights: a.idfWeights, padToMaxTokens: a.padToMaxTokens,
      vocabularySize: a.vocabularySize, maskToken: '', outputMode: this.outputMode,
    });
  }

  private get widths(): number[] | null {
    if (this.ngrams === null) return null;
    return Array.isArray(this.ngrams) ? this.ngrams : Array.from({ length: this.ngrams }, (_, i) => i + 1);
  }

  /** One string's tokens: standardized, split, n-grams added; at least the first `limit` of them. */
  tokenize(text: string, limit = Infinity): string[] {
    // Only the first words are kept (int output of a fixed length, without n-grams): read no further.
    if (this.split === 'whitespace' && this.ngrams === null && limit !== Infinity) return firstWords(text, this.standardize, limit);
    const tokens = splitText(standardizeText(text, this.standardize), this.split);
    const widths = this.widths;
    return widths === null ? tokens : ngrams(tokens, widths);
  }

  /** The strings of a batch of shape [batch] or [batch, 1]. */
  private documents(batch: StringBatch): string[] {
    const { shape } = batch;
    if (shape.length === 0 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new Error(`${this.describe()}: takes a batch of strings, shaped [batch] or [batch, 1], got [${shape.join(', ')}].`);
    }
    return batch.values;
  }

  /** Learns the vocabulary (and tf_idf weights) from strings: an array, a string tensor, or an iterable of batches. */
  adapt(data: unknown, opts: { steps?: number } = {}): void {
    const counts = new TokenCounts();
    for (const rows of adaptRows(data, `${this.describe()}: adapt`, opts.steps)) {
      for (const row of rows) {
        if (row.length !== 1) throw new Error(`${this.describe()}: adapt takes strings, one per document ([batch] or [batch, 1]), got rows of ${row.length}.`);
        counts.addDocument(this.tokenize(row[0]));
      }
    }
    this.lookup.learn(counts);
  }

  setVocabulary(vocabulary: readonly string[], idfWeights: readonly number[] | null = null): void {
    this.lookup.setVocabulary(vocabulary, idfWeights);
  }

  hasVocabulary(): boolean {
    return this.lookup.hasVocabulary();
  }

  getVocabulary(includeSpecialTokens = true): string[] {
    return this.lookup.getVocabulary(includeSpecialTokens);
  }

  vocabularySize(): number {
    return this.lookup.vocabularySize();
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const limit = this.outputMode === 'int' ? this.outputSequenceLength ?? Infinity : Infinity;
    const rows = this.documents(stringBatch(x, this.describe())).map((text) => this.tokenize(text, limit));
    const length = this.outputMode === 'int' ? this.outputSequenceLength ?? Math.max(0, ...rows.map((r) => r.length)) : Math.max(1, ...rows.map((r) => r.length));
    // A rectangle of indices; positions past a row's end are padding: 0 in int output, counted nowhere otherwise.
    const indices = new Int32Array(rows.length * length).fill(this.outputMode === 'int' ? 0 : -1);
    rows.forEach((row, i) => indices.set(this.lookup.indicesOf(row.slice(0, length)), i * length));
    return this.lookup.encode(indices, [rows.length, length]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length === 0 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1 && shape[1] !== null)) {
      throw new Error(`${this.describe()}: takes a batch of strings, shaped [batch] or [batch, 1], got ${formatShape(shape)}.`);
    }
    if (this.outputMode === 'int') return [shape[0], this.outputSequenceLength];
    return this.lookup.computeOutputShape([shape[0], null]);
  }

  override computeOutputDType(): TensorDType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  override get inputDType(): TensorDType {
    return 'string';
  }

  override getConfig(): Record<string, unknown> {
    const lookup = this.lookup.getConfig();
    return {
      ...super.getConfig(),
      maxTokens: lookup.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: Array.isArray(this.ngrams) ? [...this.ngrams] : this.ngrams,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: lookup.padToMaxTokens,
      vocabulary: lookup.vocabulary,
      idfWeights: lookup.idfWeights,
      encoding: 'utf-8',
      vocabularySize: lookup.vocabularySize,
    };
  }
}

registerLayer(TextVectorization);
