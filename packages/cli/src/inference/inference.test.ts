import { SeededRandom } from '@recurrent/core';
import { detectFormat, flattenRow, rowsToCsv, rowsToJsonl } from './predict_io';
import { sampleIndex } from './sampling';

describe('sampleIndex', () => {
  const p = [0.1, 0.6, 0.3];

  it('takes the most likely token at temperature 0 and never an excluded one', () => {
    expect(sampleIndex(p, 0, new SeededRandom(1))).toBe(1);
    expect(sampleIndex(p, 0, new SeededRandom(1), new Set([1]))).toBe(2);
  });

  it('is deterministic for a seed and follows the tempered distribution', () => {
    const draw = (t: number, seed: number) => Array.from({ length: 3000 }, ((r) => () => sampleIndex(p, t, r))(new SeededRandom(seed)));
    expect(draw(1, 4)).toEqual(draw(1, 4));
    const counts = [0, 0, 0];
    for (const i of draw(1, 9)) counts[i]++;
    expect(counts[1] / 3000).toBeCloseTo(0.6, 1);
    const cold = [0, 0, 0];
    for (const i of draw(0.2, 9)) cold[i]++;
    expect(cold[1] / 3000).toBeGreaterThan(0.9);
  });
});

describe('prediction files', () => {
  it('detects formats from the option, the name or the content', () => {
    expect(detectFormat('x.csv', '{')).toBe('csv');
    expect(detectFormat('-', '  {"a":1}')).toBe('jsonl');
    expect(detectFormat('-', 'a,b')).toBe('csv');
    expect(() => detectFormat('-', '', 'xml')).toThrow(/unknown format 'xml'/);
  });

  it('writes JSON lines and flattened, quoted CSV', () => {
    const rows = [{ label: 'spam', probabilities: { ham: 0.1, spam: 0.9 }, tokens: ['a', 'b'] }, { label: 'say "hi", ok' }];
    expect(rowsToJsonl(rows).split('\n')).toHaveLength(3);
    expect(flattenRow(rows[0])).toEqual({ label: 'spam', 'probabilities.ham': '0.1', 'probabilities.spam': '0.9', tokens: 'a b' });
    expect(rowsToCsv(rows)).toBe('label,probabilities.ham,probabilities.spam,tokens\nspam,0.1,0.9,a b\n"say ""hi"", ok",,,\n');
  });
});

import * as tf from '@tensorflow/tfjs';
import { Tokenizer } from '@recurrent/core';
import { dataSchema } from '../experiment/data_schema';
import { PreprocessingState } from '../data/preprocessing_state';
import { generateTokens } from './sampling';

describe('generateTokens', () => {
  const tokenizer = new Tokenizer({ level: 'char' }).fitOnTexts(['abcabc']);
  const state: PreprocessingState = {
    format: 'recurrent-preprocessing',
    version: 1,
    kind: 'text',
    data: dataSchema.parse({ kind: 'text', path: 'x', seqLength: 3 }),
    labelEncoding: 'sparse',
    dims: { vocabSize: 4, seqLength: 3 },
    tokenizer: tokenizer.toJSON(),
  };
  /** A "model" that predicts the successor of the last character (a -> b -> c -> a). */
  const seen: number[][] = [];
  const predict = (xs: tf.Tensor[]) => {
    const x = xs[0].arraySync() as number[][][];
    const last = x[0][2].indexOf(1);
    seen.push(x[0].map((step) => step.indexOf(1)));
    return [tf.oneHot([last === 3 ? 1 : last + 1], 4).cast('float32')];
  };

  it('feeds the last seqLength tokens back and streams each token, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const streamed: string[] = [];
    const out = generateTokens({ predict, state, tokenizer, primeIds: tokenizer.textToSequence('ab'), length: 4, temperature: 0, random: new SeededRandom(1), onToken: (t) => streamed.push(t) });
    expect(out.join('')).toBe('cabc');
    expect(streamed).toEqual(out);
    // a short prime is padded in front: the padding id 0 is an all-zero step (indexOf(1) = -1)
    expect(seen[0]).toEqual([-1, 1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
