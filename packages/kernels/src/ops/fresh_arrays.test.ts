import { FRESH_MAX_BLOCK_FLOATS, freshCopy, freshFloat32 } from './fresh_arrays';

/** The byte ranges [start, end) of arrays within their buffers, grouped by buffer. */
function rangesByBuffer(arrays: Float32Array[]): Map<ArrayBufferLike, [number, number][]> {
  const byBuffer = new Map<ArrayBufferLike, [number, number][]>();
  for (const a of arrays) {
    const list = byBuffer.get(a.buffer) ?? [];
    list.push([a.byteOffset, a.byteOffset + a.byteLength]);
    byBuffer.set(a.buffer, list);
  }
  return byBuffer;
}

describe('freshFloat32', () => {
  test('arrays of every small length are zero-filled, of that length, and overlap no other', () => {
    const arrays: Float32Array[] = [];
    for (let round = 0; round < 8; round++) { // about 90 KB: more than one block
      for (const length of [0, 1, 15, 16, 17, 255, 256, 257, FRESH_MAX_BLOCK_FLOATS - 1, FRESH_MAX_BLOCK_FLOATS]) {
        const a = freshFloat32(length);
        expect(a).toHaveLength(length);
        expect(a.every((v) => v === 0)).toBe(true);
        a.fill(round + 1); // a neighbour written to the end must not show in the next array
        arrays.push(a);
      }
    }
    const byBuffer = rangesByBuffer(arrays.filter((a) => a.length > 0));
    // Several arrays share a block, and blocks are replaced when full.
    expect(byBuffer.size).toBeGreaterThan(1);
    expect(byBuffer.size).toBeLessThan(arrays.length);
    for (const ranges of byBuffer.values()) {
      ranges.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    }
  });

  test('each array starts on a 64-byte boundary of its block', () => {
    for (const length of [1, 3, 100, 256]) expect(freshFloat32(length).byteOffset % 64).toBe(0);
  });

  test('a larger array has a buffer of its own', () => {
    const a = freshFloat32(FRESH_MAX_BLOCK_FLOATS + 1);
    expect(a).toHaveLength(FRESH_MAX_BLOCK_FLOATS + 1);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(a.byteLength);
    expect(a.every((v) => v === 0)).toBe(true);
  });

  test('refuses a length that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity]) expect(() => freshFloat32(bad)).toThrow(/freshFloat32: length must be a non-negative integer/);
  });
});

describe('freshCopy', () => {
  test('copies the values into a fresh array that does not alias the source', () => {
    const source = Float32Array.from({ length: 300 }, (_, i) => i * 0.5 - 7);
    const copy = freshCopy(source);
    expect(Array.from(copy)).toEqual(Array.from(source));
    copy[0] = 99;
    expect(source[0]).toBe(-7);
    expect(Array.from(freshCopy([1, 2.5, -3]))).toEqual([1, 2.5, -3]);
  });
});
