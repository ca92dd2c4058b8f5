import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from './seeded_random';
import { Tokenizer } from './tokenizer';
import { Dense } from '../layers/core/dense';
import { Embedding } from '../layers/core/embedding';
import { LSTM } from '../layers/rnn/lstm';
import { SequenceStepper } from '../models/sequence_stepper';
import { Sequential } from '../models/sequential';
import { generateTokens, joinTokens, sampleIndex, type TokenStepper } from './text_generation';

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

  it('draws what the formula gives: tempered weights exp(log p / T - max), summed in order, walked with one uniform', () => {
    // The formula written out plainly, as a reference for the loops of sampleIndex.
    const reference = (probs: number[], t: number, u: number, exclude: Set<number>): number => {
      let best = -1;
      probs.forEach((q, i) => { if (!exclude.has(i) && (best < 0 || q > probs[best])) best = i; });
      const logits = probs.map((q, i) => (exclude.has(i) ? -Infinity : Math.log(Math.max(q, 1e-30)) / t));
      const weights = logits.map((l) => Math.exp(l - Math.max(...logits)));
      let r = u * weights.reduce((a, b) => a + b, 0);
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return best;
    };
    const gen = new SeededRandom(77);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(gen.next() * 60);
      const raw = Array.from({ length: n }, () => (gen.next() < 0.1 ? 0 : gen.next()));
      const sum = raw.reduce((a, b) => a + b, 0) || 1;
      const probs = Float32Array.from(raw, (v) => v / sum);
      const exclude = new Set(n > 2 ? [0, n - 1] : []);
      const t = [0.2, 0.5, 1, 1.7][trial % 4];
      const seed = 1000 + trial;
      const u = new SeededRandom(seed).next();
      expect(sampleIndex(probs, t, new SeededRandom(seed), exclude)).toBe(reference(Array.from(probs), t, u, exclude));
    }
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

  it('with a stepper, reads the padded first window once, then each drawn token once', () => {
    const fed: number[][] = [];
    let last = 0;
    // the successor "model" stepped: remembers the last token it was fed
    const stepper: TokenStepper = {
      step: (input) => {
        const row = Array.from(input);
        fed.push(row);
        last = row.length === 1 ? row[0] : row.indexOf(1);
        return Float32Array.from([0, 1, 2, 3], (i) => (i === (last === 3 ? 1 : last + 1) ? 1 : 0));
      },
      resetStates: () => fed.push([]),
    };
    const options = { tokenizer, seqLength: 3, primeIds: tokenizer.textToSequence('ab'), length: 4, temperature: 0, random: new SeededRandom(1) };
    expect(generateTokens({ ...options, stepper, encoding: 'oneHot' }).join('')).toBe('cabc');
    // reset, the window [pad, a, b] one step each (padding is all zeros), then c, a, b
    expect(fed.map((row) => (row.length === 0 ? 'reset' : row.indexOf(1)))).toEqual(['reset', -1, 1, 2, 3, 1, 2]);
    fed.length = 0;
    expect(generateTokens({ ...options, stepper, encoding: 'ids' }).join('')).toBe('cabc');
    expect(fed).toEqual([[], [0], [1], [2], [3], [1], [2]]);
    expect(() => generateTokens({ ...options, encoding: 'ids' })).toThrow(/either predict .* or stepper/);
    expect(() => generateTokens({ ...options, stepper, predict: (x) => x, encoding: 'ids' })).toThrow(/not both/);
  });

  it('carrying the state draws what the model run over the whole text so far would', () => {
    const text = 'the whale swam in the sea and the ship sailed on';
    const words = new Tokenizer({ level: 'char' }).fitOnTexts([text]);
    const V = words.vocabularySize;
    const model = new Sequential({ layers: [new Embedding({ inputDim: V, outputDim: 5, inputShape: [null] }), new LSTM({ units: 9 }), new Dense({ units: V, activation: 'softmax' })] });
    const seqLength = 4;
    const options = { tokenizer: words, seqLength, encoding: 'ids' as const, primeIds: words.textToSequence('the wh'), length: 12, temperature: 0, random: new SeededRandom(3) };
    tf.tidy(() => model.predict(tf.zeros([1, seqLength], 'int32')));
    const before = tf.memory().numTensors;
    const carried = generateTokens({ ...options, stepper: new SequenceStepper(model) });
    const windowed = generateTokens({ ...options, predict: (x) => model.predict(x) as tf.Tensor });
    expect(tf.memory().numTensors).toBe(before);
    // the first token comes from the same window
    expect(carried[0]).toBe(windowed[0]);
    // reference: the model over the first window and every token drawn since, in one call
    const ids = options.primeIds.slice(-seqLength);
    const excluded = new Set([0, words.oovIndex]);
    for (const token of carried) {
      const p = tf.tidy(() => (model.predict(tf.tensor2d([ids], [1, ids.length], 'int32')) as tf.Tensor).dataSync());
      const best = Array.from(p).reduce((b, v, i) => (!excluded.has(i) && (b < 0 || v > p[b]) ? i : b), -1);
      expect(words.sequenceToTokens([best])[0]).toBe(token);
      ids.push(best);
    }
    model.dispose();
  });

  it('joins characters together and words with spaces', () => {
    expect(joinTokens(['a', 'b'], 'char', true)).toBe('ab');
    expect(joinTokens(['call', 'me'], 'word', false)).toBe('call me');
    expect(joinTokens(['call', 'me'], 'word', true)).toBe(' call me');
  });
});
