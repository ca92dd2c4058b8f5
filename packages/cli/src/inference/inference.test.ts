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
