/**
 * A text tokenizer with Keras's (legacy `Tokenizer`) semantics: index 0 is reserved for padding,
 * indices are assigned by decreasing frequency (ties in order of first appearance), the OOV token
 * (when set) takes index 1, and `numWords` keeps only indices below it. Char-level or word-level.
 *
 * Differences from Keras: `reservedTokens` (e.g. sequence start/end markers) get the indices right
 * after the OOV token, and char-level `sequencesToTexts` joins characters without spaces.
 */

export type TokenizerLevel = 'char' | 'word';

export interface TokenizerOptions {
  /** 'word' (default, Keras's char_level=false) or 'char'. */
  level?: TokenizerLevel;
  /** Keep only the numWords - 1 most frequent tokens (indices 1..numWords-1). Default: all. */
  numWords?: number | null;
  /** Token that stands for out-of-vocabulary tokens (index 1). Default: none (unknown tokens are dropped). */
  oovToken?: string | null;
  /** Lower-case texts first (default true, as Keras). */
  lower?: boolean;
  /** Word level: characters replaced by the split character (default Keras's punctuation set). */
  filters?: string;
  /** Word level: separator (default ' '). */
  split?: string;
  /** Tokens always in the vocabulary, right after the OOV token, e.g. ['<start>', '<end>']. */
  reservedTokens?: string[];
}

/** Keras's default filters: punctuation, tab and newline. */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** The serialised form (`toJSON`) of a fitted tokenizer. */
export interface TokenizerJSON {
  className: 'Tokenizer';
  config: Required<Omit<TokenizerOptions, 'numWords' | 'oovToken'>> & { numWords: number | null; oovToken: string | null };
  documentCount: number;
  /** [token, count] in first-appearance order. */
  wordCounts: [string, number][];
}

export class Tokenizer {
  readonly level: TokenizerLevel;
  readonly numWords: number | null;
  readonly oovToken: string | null;
  readonly lower: boolean;
  readonly filters: string;
  readonly split: string;
  readonly reservedTokens: string[];
  documentCount = 0;
  /** Token -> count, in first-appearance order. */
  readonly wordCounts = new Map<string, number>();
  /** Token -> index (1-based; 0 is padding). */
  wordIndex = new Map<string, number>();
  /** Index -> token. */
  indexWord = new Map<number, string>();

  constructor(options: TokenizerOptions = {}) {
    this.level = options.level ?? 'word';
    if (this.level !== 'char' && this.level !== 'word') {
      throw new RangeError(`Tokenizer: level must be 'char' or 'word', got '${String(this.level)}'`);
    }
    this.numWords = options.numWords ?? null;
    if (this.numWords !== null && (!Number.isInteger(this.numWords) || this.numWords < 1)) {
      throw new RangeError(`Tokenizer: numWords must be a positive integer, got ${this.numWords}`);
    }
    this.oovToken = options.oovToken ?? null;
    this.lower = options.lower ?? true;
    this.filters = options.filters ?? DEFAULT_FILTERS;
    this.split = options.split ?? ' ';
    if (this.split.length === 0) throw new RangeError('Tokenizer: split must not be empty');
    this.reservedTokens = [...(options.reservedTokens ?? [])];
    this.rebuildIndex();
  }

  /** Splits one text (or takes an already tokenised list) into tokens, as fitting and encoding do. */
  tokenize(text: string | readonly string[]): string[] {
    if (typeof text !== 'string') return text.map((t) => (this.lower ? t.toLowerCase() : t));
    const cased = this.lower ? text.toLowerCase() : text;
    if (this.level === 'char') return Array.from(cased);
    let replaced = cased;
    if (this.filters.length > 0) {
      const filterSet = new Set(this.filters);
      replaced = Array.from(cased, (c) => (filterSet.has(c) ? this.split : c)).join('');
    }
    return replaced.split(this.split).filter((w) => w.length > 0);
  }

  /** Counts tokens of the texts and rebuilds the index (can be called several times, as Keras). */
  fitOnTexts(texts: Iterable<string | readonly string[]>): this {
    for (const text of texts) {
      this.documentCount++;
      for (const token of this.tokenize(text)) this.wordCounts.set(token, (this.wordCounts.get(token) ?? 0) + 1);
    }
    this.rebuildIndex();
    return this;
  }

  private rebuildIndex(): void {
    const special = [...(this.oovToken !== null ? [this.oovToken] : []), ...this.reservedTokens];
    const specialSet = new Set(special);
    // Array.prototype.sort is stable: equal counts keep their first-appearance order, as in Keras.
    const byCount = [...this.wordCounts.entries()].filter(([w]) => !specialSet.has(w)).sort((a, b) => b[1] - a[1]);
    this.wordIndex = new Map();
    this.indexWord = new Map();
    for (const token of [...special, ...byCount.map(([w]) => w)]) {
      if (this.wordIndex.has(token)) continue;
      const index = this.wordIndex.size + 1;
      this.wordIndex.set(token, index);
      this.indexWord.set(index, token);
    }
  }

  /** Number of ids a model must accept: max index + 1 (padding 0 included), capped by numWords. */
  get vocabularySize(): number {
    const all = this.wordIndex.size + 1;
    return this.numWords === null ? all : Math.min(this.numWords, all);
  }

  get oovIndex(): number | null {
    return this.oovToken === null ? null : (this.wordIndex.get(this.oovToken) ?? null);
  }

  /** Index of one token (after casing), the OOV index, or null when unknown and no OOV token. */
  tokenToIndex(token: string): number | null {
    const index = this.wordIndex.get(token);
    if (index !== undefined && (this.numWords === null || index < this.numWords)) return index;
    return this.oovIndex;
  }

  textsToSequences(texts: readonly (string | readonly string[])[]): number[][] {
    return texts.map((text) => this.textToSequence(text));
  }

  textToSequence(text: string | readonly string[]): number[] {
    const out: number[] = [];
    for (const token of this.tokenize(text)) {
      const index = this.tokenToIndex(token);
      if (index !== null) out.push(index);
    }
    return out;
  }

  /** Tokens of a sequence: padding (0) is skipped, unknown or cut indices become the OOV token or are dropped. */
  sequenceToTokens(sequence: ArrayLike<number>): string[] {
    const out: string[] = [];
    for (let i = 0; i < sequence.length; i++) {
      const index = sequence[i];
      if (index === 0) continue;
      const token = this.numWords !== null && index >= this.numWords ? undefined : this.indexWord.get(index);
      if (token !== undefined) out.push(token);
      else if (this.oovToken !== null) out.push(this.oovToken);
    }
    return out;
  }

  sequencesToTexts(sequences: readonly ArrayLike<number>[]): string[] {
    return sequences.map((s) => this.sequenceToTokens(s).join(this.level === 'char' ? '' : ' '));
  }

  toJSON(): TokenizerJSON {
    return {
      className: 'Tokenizer',
      config: {
        level: this.level,
        numWords: this.numWords,
        oovToken: this.oovToken,
        lower: this.lower,
        filters: this.filters,
        split: this.split,
        reservedTokens: [...this.reservedTokens],
      },
      documentCount: this.documentCount,
      wordCounts: [...this.wordCounts.entries()],
    };
  }

  static fromJSON(json: TokenizerJSON | string): Tokenizer {
    const parsed: unknown = typeof json === 'string' ? JSON.parse(json) : json;
    if (!isTokenizerJSON(parsed)) {
      throw new TypeError('Tokenizer.fromJSON: expected {className: "Tokenizer", config, documentCount, wordCounts} as written by toJSON()');
    }
    const tokenizer = new Tokenizer(parsed.config);
    tokenizer.documentCount = parsed.documentCount;
    for (const [token, count] of parsed.wordCounts) tokenizer.wordCounts.set(token, count);
    tokenizer.rebuildIndex();
    return tokenizer;
  }
}

function isTokenizerJSON(value: unknown): value is TokenizerJSON {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.className === 'Tokenizer' &&
    typeof v.config === 'object' &&
    v.config !== null &&
    typeof v.documentCount === 'number' &&
    Array.isArray(v.wordCounts) &&
    v.wordCounts.every((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number')
  );
}
