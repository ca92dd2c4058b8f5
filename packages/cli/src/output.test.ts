import { pieceWriter, type Output } from './output';

function recording(interactive: boolean): { output: Output; writes: string[] } {
  const writes: string[] = [];
  return { output: { out: (t) => writes.push(t), err: () => {}, interactive }, writes };
}

describe('pieceWriter', () => {
  test('to a terminal: each piece is written as it comes', () => {
    const { output, writes } = recording(true);
    const w = pieceWriter(output);
    for (const c of 'abc') w.write(c);
    expect(writes).toEqual(['a', 'b', 'c']);
    w.flush();
    expect(writes).toEqual(['a', 'b', 'c']);
  });

  test('to a pipe or file: pieces are gathered up to maxChars, and flush writes the rest; the text is unchanged', () => {
    const { output, writes } = recording(false);
    const w = pieceWriter(output, { maxChars: 10, maxDelayMs: 1e9, now: () => 0 });
    const text = 'call me ishmael. some years ago, never mind how long precisely';
    for (const c of text) w.write(c);
    expect(writes.every((chunk) => chunk.length === 10)).toBe(true);
    expect(writes).toHaveLength(Math.floor(text.length / 10));
    w.flush();
    expect(writes.join('')).toBe(text);
    w.flush(); // nothing left: no empty write
    expect(writes.join('')).toBe(text);
    expect(writes.every((chunk) => chunk.length > 0)).toBe(true);
  });

  test('to a pipe: what waited maxDelayMs is written with the next piece, so a slow generator still streams', () => {
    const { output, writes } = recording(false);
    let clock = 0;
    const w = pieceWriter(output, { maxChars: 1000, maxDelayMs: 100, now: () => clock });
    w.write('a');
    clock = 50;
    w.write('b');
    expect(writes).toEqual([]);
    clock = 120;
    w.write('c');
    expect(writes).toEqual(['abc']);
    clock = 150;
    w.write('d');
    expect(writes).toEqual(['abc']);
    w.flush();
    expect(writes).toEqual(['abc', 'd']);
  });
});
