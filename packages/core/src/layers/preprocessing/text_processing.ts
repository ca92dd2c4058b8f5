/**
 * TextVectorization's text steps, as TensorFlow's string ops do them: standardization (ASCII lowercase,
 * as tf.strings.lower without an encoding; Python's string.punctuation removed), splitting (runs of
 * ASCII whitespace, or Unicode characters) and n-grams joined by a space.
 */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null;
export type Split = 'whitespace' | 'character' | null;

/** Python's string.punctuation, the characters Keras's regex removes. */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const ASCII_UPPER = /[A-Z]+/g;
const ASCII_WHITESPACE = /[ \t\n\v\f\r]+/;
const NON_WHITESPACE_RUN = /[^ \t\n\v\f\r]+/g;

export function standardizeText(text: string, mode: Standardize): string {
  let out = text;
  if (mode === 'lower' || mode === 'lower_and_strip_punctuation') out = out.replace(ASCII_UPPER, (m) => m.toLowerCase());
  if (mode === 'strip_punctuation' || mode === 'lower_and_strip_punctuation') out = out.replace(PUNCTUATION, '');
  return out;
}

export function splitText(text: string, mode: Split): string[] {
  if (mode === 'whitespace') return text.split(ASCII_WHITESPACE).filter((t) => t !== '');
  if (mode === 'character') return Array.from(text);
  return [text];
}

/**
 * The first `limit` whitespace-split tokens of standardized `text`, reading no further: standardization
 * never adds, removes or moves whitespace, so standardizing token by token (dropping those it empties)
 * gives the tokens of the whole text, and a long document costs only its first tokens.
 */
export function firstWords(text: string, mode: Standardize, limit: number): string[] {
  const out: string[] = [];
  if (limit <= 0) return out;
  for (const match of text.matchAll(NON_WHITESPACE_RUN)) {
    const token = standardizeText(match[0], mode);
    if (token === '') continue;
    out.push(token);
    if (out.length >= limit) break;
  }
  return out;
}

/** The n-grams of each width in `widths`, in that order (tf.strings.ngrams without padding). */
export function ngrams(tokens: readonly string[], widths: readonly number[]): string[] {
  const out: string[] = [];
  for (const n of widths) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}
