/**
 * The vocabulary of a lookup layer (Keras's IndexLookup), independent of tensors: the special tokens
 * first (the mask token, then `numOovIndices` OOV entries), then the terms, a term's index being its
 * position; learning it from counted tokens; and the inverse document frequencies of `tf_idf` output.
 */
import { hashBucket } from './fingerprint64';

export interface VocabularyLayout {
  /** Indices before the terms: 1 for the mask token (int output with a mask token) plus the OOV indices. */
  maskIndices: 0 | 1;
  numOovIndices: number;
  maskToken: string | null;
  oovToken: string;
}

/** Counts of tokens over the documents seen by `adapt`, and in how many documents each appears. */
export class TokenCounts {
  readonly counts = new Map<string, number>();
  readonly documentCounts = new Map<string, number>();
  documents = 0;

  addDocument(tokens: readonly string[]): void {
    for (const t of tokens) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    for (const t of new Set(tokens)) this.documentCounts.set(t, (this.documentCounts.get(t) ?? 0) + 1);
    this.documents += 1;
  }
}

/** Orders by UTF-8 bytes (Unicode code points), as NumPy sorts the byte strings Keras learns from. */
function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The terms learned from counts: most frequent first, ties broken by the term itself in descending
 * byte order (Keras: `np.lexsort((tokens, counts))[::-1]`), without the special tokens, at most `limit`.
 */
export function learnTerms(counts: TokenCounts, layout: VocabularyLayout, limit: number | null): string[] {
  const terms = [...counts.counts.keys()].filter((t) => t !== layout.maskToken && t !== layout.oovToken);
  terms.sort((a, b) => {
    const byCount = counts.counts.get(b)! - counts.counts.get(a)!;
    return byCount !== 0 ? byCount : compareCodePoints(b, a);
  });
  return limit === null ? terms : terms.slice(0, Math.max(0, limit));
}

/** Keras's inverse document frequency: log(1 + documents / (1 + documents containing the term)). */
export function inverseDocumentFrequencies(counts: TokenCounts, terms: readonly string[]): number[] {
  return terms.map((t) => Math.log(1 + counts.documents / (1 + (counts.documentCounts.get(t) ?? 0))));
}

/** Terms and their indices, with the layout's special entries before them. */
export class Vocabulary {
  private readonly index: Map<string, number>;

  constructor(readonly layout: VocabularyLayout, readonly terms: readonly string[]) {
    this.index = new Map(terms.map((t, i) => [t, i + this.termStart]));
  }

  get termStart(): number {
    return this.layout.maskIndices + this.layout.numOovIndices;
  }

  get size(): number {
    return this.termStart + this.terms.length;
  }

  /** The special tokens as Keras lists them in front of the terms. */
  specialTokens(): string[] {
    const { maskIndices, maskToken, numOovIndices, oovToken } = this.layout;
    return [...(maskIndices === 1 ? [maskToken ?? ''] : []), ...Array<string>(numOovIndices).fill(oovToken)];
  }

  /** Every entry by index (Keras's get_vocabulary): special tokens, then the terms. */
  entries(): string[] {
    return [...this.specialTokens(), ...this.terms];
  }

  /**
   * The index of a token: its term index, 0 for the mask token (int output), the OOV index (hashed among
   * several, Keras's FarmHash buckets), or -1 for an unknown token when there are no OOV indices.
   */
  lookup(token: string): number {
    const found = this.index.get(token);
    if (found !== undefined) return found;
    if (this.layout.maskToken !== null && token === this.layout.maskToken) return this.layout.maskIndices === 1 ? 0 : -2;
    const oov = this.layout.numOovIndices;
    if (oov === 0) return -1;
    return this.layout.maskIndices + (oov === 1 ? 0 : hashBucket(token, oov));
  }

  /** The entry at an index, for inverted lookups: the mask token at 0 (with a mask), the OOV token otherwise. */
  entryAt(index: number): string {
    if (index >= this.termStart && index < this.size) return this.terms[index - this.termStart];
    if (index === 0 && this.layout.maskIndices === 1) return this.layout.maskToken ?? '';
    return this.layout.oovToken;
  }
}

/** Splits a given vocabulary into its terms, dropping the special tokens in front when it starts with them (Keras). */
export function termsOf(layout: VocabularyLayout, given: readonly string[], owner: string): string[] {
  const probe = new Vocabulary(layout, []);
  const special = probe.specialTokens();
  const hasSpecial = given.length >= special.length && special.every((t, i) => given[i] === t);
  const terms = hasSpecial ? given.slice(special.length) : [...given];
  if (terms.length === 0) throw new Error(`${owner}: the vocabulary is empty; give at least one term.`);
  const seen = new Set<string>();
  const repeated = new Set(terms.filter((t) => (seen.has(t) ? true : (seen.add(t), false))));
  if (repeated.size > 0) throw new Error(`${owner}: the vocabulary repeats ${[...repeated].map((t) => JSON.stringify(t)).join(', ')}; every term must be unique.`);
  if (layout.maskToken !== null && terms.includes(layout.maskToken)) {
    throw new Error(`${owner}: the mask token ${JSON.stringify(layout.maskToken)} is among the terms; leave the special tokens out of the vocabulary, or put them first in this order: ${JSON.stringify(special)}.`);
  }
  return terms;
}
