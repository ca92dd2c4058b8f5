import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from './seeded_random';
import { Tokenizer } from './tokenizer';
import { generateTokens, joinTokens, sampleIndex } from './text_generation';

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

describe('generateTokens', () => {
  const tokenizer = new Tokenizer({ level: 'char' }).fitOnTexts(['abcabc']);
  /** A "model" that predicts the successor of the last character (a -> b -> c -> a), from one-hot or id windows. */
  function successorModel(seen: number[][]) {
    return (x: tf.Tensor) => {
      const rows = x.rank === 3 ? (x.arraySync() as number[][][])[0].map((step) => step.indexOf(1)) : (x.arraySync() as number[][])[0];
      seen.push(rows);
      const last = rows[rows.length - 1];
      return tf.oneHot([last === 3 ? 1 : last + 1], 4).cast('float32');
    };
  }

  it('feeds the last seqLength tokens back and streams each token, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const seen: number[][] = [];
    const streamed: string[] = [];
    const options = { tokenizer, seqLength: 3, primeIds: tokenizer.textToSequence('ab'), length: 4, temperature: 0, random: new SeededRandom(1), onToken: (t: string) => streamed.push(t) };
    const out = generateTokens({ ...options, predict: successorModel(seen), encoding: 'oneHot' });
    expect(out.join('')).toBe('cabc');
    expect(streamed).toEqual(out);
    // a short prime is padded in front: the padding id 0 is an all-zero step (indexOf(1) = -1)
    expect(seen[0]).toEqual([-1, 1, 2]);
    const ids: number[][] = [];
    expect(generateTokens({ ...options, predict: successorModel(ids), encoding: 'ids' }).join('')).toBe('cabc');
    expect(ids[0]).toEqual([0, 1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('joins characters together and words with spaces', () => {
    expect(joinTokens(['a', 'b'], 'char', true)).toBe('ab');
    expect(joinTokens(['call', 'me'], 'word', false)).toBe('call me');
    expect(joinTokens(['call', 'me'], 'word', true)).toBe(' call me');
  });
});
