import { NumericArray, byteSize, numericArray, oneHotArray } from './numeric_array';

export interface TextWindowOptions {
  /** Tokens in each input window. */
  seqLength: number;
  /** Distance between the starts of consecutive windows (default 1). */
  step?: number;
  /**
   * 'next' (default): y is the one token after the window (many-to-one, shape [n]).
   * 'shifted': y is the window moved one token ahead (many-to-many, shape [n, seqLength]).
   */
  target?: 'next' | 'shifted';
  /** 'ids' (default): x is [n, seqLength] int32; 'oneHot': x is [n, seqLength, vocabularySize] float32. */
  encoding?: 'ids' | 'oneHot';
  /** Needed for 'oneHot'. */
  vocabularySize?: number;
}

export interface WindowedText {
  x: NumericArray;
  y: NumericArray;
}

/** How many windows a corpus of `length` tokens gives: one per start i = 0, step, ... with i + seqLength < length. */
export function countTextWindows(length: number, seqLength: number, step = 1): number {
  checkWindowArgs(seqLength, step);
  return length > seqLength ? Math.floor((length - seqLength - 1) / step) + 1 : 0;
}

/**
 * Next-token training pairs from a token id sequence, as in the classic char-RNN recipe:
 * for i = 0, step, 2*step, ... while i + seqLength < length: x = ids[i, i+seqLength), y = ids[i+seqLength]
 * (or ids[i+1, i+seqLength] for target 'shifted').
 */
export function textWindows(ids: ArrayLike<number>, options: TextWindowOptions): WindowedText {
  const { seqLength, step = 1, target = 'next', encoding = 'ids' } = options;
  const n = countTextWindows(ids.length, seqLength, step);
  if (encoding === 'oneHot') {
    const depth = options.vocabularySize;
    if (depth === undefined || !Number.isInteger(depth) || depth < 1) {
      throw new RangeError('textWindows: encoding "oneHot" needs vocabularySize (a positive integer)');
    }
    const bytes = byteSize([n, seqLength, depth]);
    if (bytes > 2 ** 31) {
      throw new RangeError(
        `textWindows: one-hot windows would take ${(bytes / 2 ** 30).toFixed(1)} GiB (${n} windows x ${seqLength} x ${depth}); ` +
          `use encoding "ids" (and one-hot per batch or an Embedding layer), a larger step or a shorter text`,
      );
    }
  }
  const x = numericArray('int32', [n, seqLength]);
  const y = target === 'next' ? numericArray('int32', [n]) : numericArray('int32', [n, seqLength]);
  for (let w = 0; w < n; w++) {
    const start = w * step;
    for (let t = 0; t < seqLength; t++) x.data[w * seqLength + t] = ids[start + t];
    if (target === 'next') y.data[w] = ids[start + seqLength];
    else for (let t = 0; t < seqLength; t++) y.data[w * seqLength + t] = ids[start + 1 + t];
  }
  return { x: encoding === 'oneHot' ? oneHotArray(x, options.vocabularySize as number) : x, y };
}

function checkWindowArgs(seqLength: number, step: number): void {
  if (!Number.isInteger(seqLength) || seqLength < 1) throw new RangeError(`text windows: seqLength must be a positive integer, got ${seqLength}`);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`text windows: step must be a positive integer, got ${step}`);
}
