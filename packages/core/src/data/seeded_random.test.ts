import { SeededRandom, deriveSeed, shuffledIndices, trainValidationSplit } from './seeded_random';

describe('seeded shuffling', () => {
  it('gives the same permutation for the same seed and another for another seed', () => {
    const a = shuffledIndices(100, 7);
    expect(Array.from(shuffledIndices(100, 7))).toEqual(Array.from(a));
    expect(Array.from(shuffledIndices(100, 8))).not.toEqual(Array.from(a));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('moves every element to every place about equally often', () => {
    const counts = Array.from({ length: 4 }, () => new Array(4).fill(0));
    for (let seed = 0; seed < 4000; seed++) shuffledIndices(4, seed).forEach((v, place) => counts[v][place]++);
    for (const row of counts) for (const c of row) expect(c).toBeGreaterThan(850); // expected 1000 each
  });

  it('restores the generator exactly from its state', () => {
    const r = new SeededRandom(3);
    r.next();
    const copy = SeededRandom.fromState(r.state);
    expect([r.next(), r.nextInt(10), r.nextUint32()]).toEqual([copy.next(), copy.nextInt(10), copy.nextUint32()]);
  });

  it('derives distinct, reproducible seeds from labels', () => {
    expect(deriveSeed(1, 'shuffle', 0)).toBe(deriveSeed(1, 'shuffle', 0));
    expect(new Set([deriveSeed(1, 'shuffle', 0), deriveSeed(1, 'shuffle', 1), deriveSeed(2, 'shuffle', 0), deriveSeed(1, 'split')]).size).toBe(4);
  });
});

describe('trainValidationSplit', () => {
  it('holds out the last floor-rounded fraction without shuffling, as Keras', () => {
    const split = trainValidationSplit(10, { validationSplit: 0.25, shuffle: false });
    expect(Array.from(split.train)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(split.validation)).toEqual([7, 8, 9]);
  });

  it('shuffles reproducibly and covers every index once', () => {
    const a = trainValidationSplit(50, { validationSplit: 0.2, seed: 5 });
    const b = trainValidationSplit(50, { validationSplit: 0.2, seed: 5 });
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(a.validation.length).toBe(10);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects fractions outside [0, 1)', () => {
    expect(() => trainValidationSplit(10, { validationSplit: 1 })).toThrow(/\[0, 1\)/);
  });
});
