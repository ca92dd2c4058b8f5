import * as tf from '@tensorflow/tfjs';
import { NumericArray, numericArray, toTensor } from './numeric_array';

export type PadSide = 'pre' | 'post';

export interface PadSequencesOptions {
  /** Length of every output row; default: the longest sequence. */
  maxLen?: number;
  /** Where padding goes: before ('pre', Keras's default) or after ('post') the values. */
  padding?: PadSide;
  /** Which end is cut from sequences longer than maxLen: the beginning ('pre', default) or the end. */
  truncating?: PadSide;
  /** The padding value (default 0). */
  value?: number;
  /** Output dtype (default 'int32'; values are truncated towards zero, as numpy's cast does). */
  dtype?: 'int32' | 'float32';
}

/** A sequence of numbers, or of equally shaped vectors (e.g. one-hot steps). */
export type Sequence = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * Keras's `pad_sequences` as a plain array: shape [numSequences, maxLen] (plus the shape of one step
 * when steps are vectors), every sequence padded or truncated to maxLen.
 */
export function padSequencesArray(sequences: readonly Sequence[], options: PadSequencesOptions = {}): NumericArray {
  const { padding = 'pre', truncating = 'pre', value = 0, dtype = 'int32' } = options;
  checkSide('padding', padding);
  checkSide('truncating', truncating);
  if (!Number.isFinite(value)) throw new RangeError(`padSequences: value must be a finite number, got ${value}`);
  const stepSize = findStepSize(sequences);
  const maxLen = options.maxLen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxLen) || maxLen < 0) {
    throw new RangeError(`padSequences: maxLen must be a non-negative integer, got ${maxLen}`);
  }
  const shape = stepSize === null ? [sequences.length, maxLen] : [sequences.length, maxLen, stepSize];
  const out = numericArray(dtype, shape);
  const cast = dtype === 'int32' ? Math.trunc : (v: number) => v;
  out.data.fill(cast(value));
  const width = stepSize ?? 1;
  sequences.forEach((sequence, row) => {
    const kept = Math.min(sequence.length, maxLen);
    const from = truncating === 'pre' ? sequence.length - kept : 0;
    const to = padding === 'pre' ? maxLen - kept : 0;
    for (let t = 0; t < kept; t++) {
      const base = (row * maxLen + to + t) * width;
      const step = sequence[from + t];
      if (stepSize === null) {
        out.data[base] = cast(checkNumber(step as number, row, from + t));
      } else {
        const vector = step as ArrayLike<number>;
        if (typeof vector === 'number' || vector.length !== stepSize) {
          throw new RangeError(
            `padSequences: sequence ${row} step ${from + t} has shape [${typeof vector === 'number' ? '' : vector.length}], ` +
              `expected [${stepSize}] like the first non-empty sequence`,
          );
        }
        for (let k = 0; k < stepSize; k++) out.data[base + k] = cast(checkNumber(vector[k], row, from + t));
      }
    }
  });
  return out;
}

/**
 * Pads (or truncates) sequences to the same length, as Keras's `pad_sequences`: defaults
 * maxLen = longest, padding 'pre', truncating 'pre', value 0, dtype 'int32'.
 */
export function padSequences(sequences: readonly Sequence[], options: PadSequencesOptions = {}): tf.Tensor {
  return toTensor(padSequencesArray(sequences, options));
}

function checkSide(name: string, side: string): void {
  if (side !== 'pre' && side !== 'post') {
    throw new RangeError(`padSequences: ${name} must be 'pre' or 'post', got '${side}'`);
  }
}

function checkNumber(v: number, row: number, t: number): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TypeError(`padSequences: sequence ${row} step ${t} is not a number (${String(v)})`);
  }
  return v;
}

/** null for scalar steps, else the length of one step vector (from the first non-empty sequence). */
function findStepSize(sequences: readonly Sequence[]): number | null {
  for (const sequence of sequences) {
    if (sequence.length > 0) {
      const first = sequence[0];
      return typeof first === 'number' ? null : first.length;
    }
  }
  return null;
}
