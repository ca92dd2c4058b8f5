/**
 * The addon's softmaxRows against the TypeScript kernels' loop, bit for bit (NaN payloads included): rows of
 * every width from 1 to 70 and a few long ones; values from a narrow range, a wide one (exponents from e^-104,
 * where float32 rounds to zero, to beyond), near ties of the maximum, subnormals, signed zeros, infinities and
 * NaN; in place and into another array; on every instruction set the CPU has (each runs the exponentials on
 * vectors of doubles, and the tail of a row one value at a time). Then what ops/softmax_rows.ts hands to it, and
 * the addon's checks.
 */
import { typescriptRowOps } from '../typescript/row_ops';
import { softmaxRows } from '../ops/softmax_rows';
import { activeImplementation, setImplementation } from '../backend/implementation_choice';
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { seededRandom } from './__tests__/random_requests';

const { addon } = requireNative();

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const x = bits(a), y = bits(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

type Fill = (rand: () => number, i: number) => number;

const FILLS: [string, Fill][] = [
  ['narrow', (rand) => rand() * 4 - 2],
  ['wide', (rand) => (rand() * 2 - 1) * 10 ** (rand() * 3)],
  ['logits near 100', (rand) => 100 + (rand() - 0.5) * 1e-4],
  ['whole numbers (ties)', (rand) => Math.floor(rand() * 5)],
  ['specials', (rand) => {
    const r = rand();
    if (r < 0.05) return NaN;
    if (r < 0.1) return Infinity;
    if (r < 0.15) return -Infinity;
    if (r < 0.2) return -0;
    if (r < 0.25) return 1e-41 * (rand() - 0.5);  // subnormal
    return (rand() - 0.5) * 300;
  }],
];

function filled(count: number, fill: Fill, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: count }, (_, i) => fill(rand, i));
}

/** The addon's rows on every instruction set the CPU has, out of place and in place, against the loop's bits. */
function expectLoopBitsOnEverySimd(values: Float32Array, width: number, label: string): void {
  const expected = new Float32Array(values.length);
  typescriptRowOps.softmaxRows(values, width, expected);
  forEachSimd(addon, (level) => {
    const out = new Float32Array(values.length);
    addon.softmaxRows(values, width, out);
    const at = firstBitDifference(out, expected);
    if (at >= 0) throw new Error(`${level}, ${label}: element ${at} is ${out[at]}, the loop gives ${expected[at]} (input ${values[at]})`);
    const inPlace = values.slice();
    addon.softmaxRows(inPlace, width, inPlace);
    expect(firstBitDifference(inPlace, expected)).toBe(-1);
  });
}

describe('the addon softmaxRows gives the TypeScript loop bits', () => {
  test.each(FILLS)('%s values, widths 1 to 70 and long rows, in place and into another array', (_name, fill) => {
    const widths = [...Array.from({ length: 70 }, (_, i) => i + 1), 127, 1000, 4099];
    widths.forEach((width, w) => {
      const rows = width > 200 ? 2 : 3;
      expectLoopBitsOnEverySimd(filled(rows * width, fill, 17 * w + 3), width, `width ${width}`);
    });
  });

  test('every exponent range: each row one value at 0 and one from 0 down to -110', () => {
    const width = 2, count = 40000;
    const values = new Float32Array(count * width);
    for (let r = 0; r < count; r++) values[r * width + 1] = -110 * (r / count);
    expectLoopBitsOnEverySimd(values, width, 'rows of 2');
  });

  test('every lane sees every exponent range: rows of 9 (two vectors and a tail) with the values in every position', () => {
    // Each row holds a 0 (its maximum) and eight values from 0 down to -110, rotated so that every position, and
    // so every lane of the vectors and the scalar tail, meets the whole range, NaN and the infinities included.
    const width = 9, rows = 9 * 3000;
    const values = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      const shift = r % width;
      for (let j = 1; j < width; j++) {
        const step = Math.floor(r / width) * 8 + j;
        let v = -110 * ((step * 0.6180339887) % 1);
        if (step % 997 === 0) v = NaN;
        else if (step % 991 === 0) v = -Infinity;
        values[r * width + ((j + shift) % width)] = v;
      }
    }
    expectLoopBitsOnEverySimd(values, width, 'rows of 9');
  });

  test('softmaxRows runs the addon with the native kernels and the loop with the TypeScript kernels, the same bits', () => {
    const values = filled(64 * 33, FILLS[1][1], 5);
    const saved = activeImplementation().name;
    const spy = jest.spyOn(addon, 'softmaxRows');
    try {
      setImplementation('native');
      const a = new Float32Array(values.length);
      softmaxRows(values, 33, a);
      expect(spy).toHaveBeenCalledTimes(1);
      setImplementation('typescript');
      const b = new Float32Array(values.length);
      softmaxRows(values, 33, b);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(firstBitDifference(a, b)).toBe(-1);
      // An array over a SharedArrayBuffer goes to the loop even with the native kernels.
      setImplementation('native');
      const shared = new Float32Array(new SharedArrayBuffer(values.length * 4));
      shared.set(values);
      softmaxRows(shared, 33);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(firstBitDifference(new Float32Array(shared), b)).toBe(-1);
      // So does an output that is not a Float32Array (the loop writes any array of numbers, here unrounded).
      const plain = new Float64Array(values.length), loop = new Float64Array(values.length);
      softmaxRows(values, 33, plain as unknown as Float32Array);
      expect(spy).toHaveBeenCalledTimes(1);
      typescriptRowOps.softmaxRows(values, 33, loop as unknown as Float32Array);
      expect(Array.from(plain)).toEqual(Array.from(loop));
    } finally {
      spy.mockRestore();
      setImplementation(saved);
    }
  });

  test('the addon checks its arguments before touching memory', () => {
    const values = new Float32Array(12);
    expect(() => addon.softmaxRows(values, 5, new Float32Array(12))).toThrow(/values: 12 elements are not rows of 5/);
    expect(() => addon.softmaxRows(values, 4, new Float32Array(11))).toThrow(/out/);
    expect(() => addon.softmaxRows(values, 0, new Float32Array(12))).toThrow(/width/);
    expect(() => addon.softmaxRows(new Float64Array(12) as unknown as Float32Array, 4, new Float32Array(12))).toThrow(/values: expected a Float32Array/);
    expect(() => addon.softmaxRows(values, 4, new Float32Array(new SharedArrayBuffer(48)))).toThrow(/SharedArrayBuffer|shared/);
    expect(() => (addon.softmaxRows as unknown as (...a: unknown[]) => void)(values, 4)).toThrow(/expected \(values, width, out\)/);
  });
});
