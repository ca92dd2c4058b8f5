import { detectFormat, flattenRow, rowsToCsv, rowsToJsonl } from './predict_io';

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
