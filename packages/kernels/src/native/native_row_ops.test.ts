/**
 * The addon's row gathers and window maxima against the TypeScript loops (which the op tests check
 * against tf.gather and pairwise tf.maximum), bit for bit, on every SIMD path; results written over
 * recycled memory; and the checks of every argument, in both implementations, before memory is touched.
 */
import type { MaxPool1DBackwardRequest, RowOpsImplementation } from '../row_ops_spec';
import { typescriptRowOps } from '../typescript/row_ops';
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { seededRandom } from './__tests__/random_requests';
import { createNativeRowOps } from './native_implementation';

const { addon } = requireNative();
const native = createNativeRowOps(addon);

function randomFloats(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  // Multiples of 0.25 in [-2, 2]: many ties inside every window.
  return Float32Array.from({ length: n }, () => Math.round((rand() * 4 - 2) * 4) / 4);
}

function sameBits(got: Float32Array, want: Float32Array): boolean {
  return got.length === want.length && got.every((v, i) => Object.is(v, want[i]));
}

describe('native row gathers', () => {
  const rand = seededRandom(3);
  const rows = Int32Array.from({ length: 300 }, () => Math.floor(rand() * 50));
  rows[0] = 0;
  rows[1] = 49;
  const table = randomFloats(50 * 37, 4);
  const values = randomFloats(300 * 37, 5);

  test('gatherRows and scatterAddRows equal the TypeScript loops (repeated rows add up in order)', () => {
    forEachSimd(addon, (level) => {
      expect({ level, same: sameBits(native.gatherRows(table, 50, 37, rows), typescriptRowOps.gatherRows(table, 50, 37, rows)) }).toEqual({ level, same: true });
      const grad = native.scatterAddRows(values, rows, 50, 37);
      expect({ level, same: sameBits(grad, typescriptRowOps.scatterAddRows(values, rows, 50, 37)) }).toEqual({ level, same: true });
    });
  });

  test('results overwrite recycled memory completely: untouched rows of the gradient are zero', () => {
    const big = new Float32Array(4096 * 64).fill(7);
    const few = new Int32Array([5, 5, 4000]);
    const dy = new Float32Array(3 * 64).fill(1);
    for (let round = 0; round < 3; round++) {
      addon.recycleResult(native.gatherRows(big, 4096, 64, new Int32Array(4096).map((_, i) => i)));
      const grad = native.scatterAddRows(dy, few, 4096, 64);
      let nonzero = 0;
      for (let i = 0; i < grad.length; i++) if (grad[i] !== 0) nonzero++;
      expect(nonzero).toBe(128);
      expect([grad[5 * 64], grad[4000 * 64 + 63], grad[6 * 64]]).toEqual([2, 1, 0]);
      addon.recycleResult(grad);
    }
  });
});

// [batch, steps, channels, poolSize, strides, padBefore, outLength]
const POOLS: Array<[number, number, number, number, number, number, number]> = [
  [3, 196, 64, 4, 4, 0, 49], // M1's pooling
  [2, 9, 3, 2, 2, 0, 4],
  [2, 10, 17, 3, 1, 0, 8],
  [2, 7, 5, 4, 2, 1, 4],
  [1, 6, 2, 3, 1, 1, 6],
  [2, 11, 33, 2, 3, 0, 4],
  [1, 3, 4, 2, 1, 5, 3], // windows of padding only
];

describe('native max pooling', () => {
  test.each(POOLS)('B=%i steps=%i C=%i pool %i strides %i padBefore %i outLength %i: forward and gradient equal the TypeScript loops', (batch, steps, channels, poolSize, strides, padBefore, outLength) => {
    const x = randomFloats(batch * steps * channels, steps);
    x[1] = NaN;
    x[channels + 2] = -Infinity;
    const req: MaxPool1DBackwardRequest = { batch, steps, channels, poolSize, strides, padBefore, outLength, x, dy: randomFloats(batch * outLength * channels, 9) };
    const y = typescriptRowOps.maxPool1dForward(req);
    const dx = typescriptRowOps.maxPool1dBackward(req);
    forEachSimd(addon, (level) => {
      expect({ level, same: sameBits(native.maxPool1dForward(req), y) }).toEqual({ level, same: true });
      expect({ level, same: sameBits(native.maxPool1dBackward(req), dx) }).toEqual({ level, same: true });
    });
  });
});

const implementations: Array<{ name: string; impl: RowOpsImplementation }> = [
  { name: 'native kernels', impl: native },
  { name: 'TypeScript kernels', impl: typescriptRowOps },
];

describe.each(implementations)('row op checks in the $name', ({ impl }) => {
  const table = new Float32Array(12);
  const pool: MaxPool1DBackwardRequest = {
    batch: 1, steps: 4, channels: 2, poolSize: 2, strides: 2, padBefore: 0, outLength: 2, x: new Float32Array(8), dy: new Float32Array(4),
  };

  test('rows outside the table, of the wrong type, and arrays of the wrong length are refused', () => {
    expect(() => impl.gatherRows(table, 4, 3, new Int32Array([0, 4]))).toThrow(/^rows: row 4 \(at position 1\) is outside \[0, 4\)$/);
    expect(() => impl.scatterAddRows(new Float32Array(6), new Int32Array([-1, 0]), 4, 3)).toThrow(/^rows: row -1 \(at position 0\) is outside \[0, 4\)$/);
    expect(() => impl.gatherRows(table, 4, 3, [0] as never)).toThrow(/^rows: expected an Int32Array/);
    expect(() => impl.gatherRows(table, 5, 3, new Int32Array([0]))).toThrow(/^table: expected 5x3 = 15 floats, got 12$/);
    expect(() => impl.scatterAddRows(new Float32Array(5), new Int32Array([0, 1]), 4, 3)).toThrow(/^values: expected 2x3 = 6 floats, got 5$/);
    expect(() => impl.gatherRows(table, -1, 3, new Int32Array(0))).toThrow(/^tableRows: expected a non-negative integer/);
  });

  test('pooling sizes, x and dy are checked; shared memory is refused', () => {
    expect(() => impl.maxPool1dForward({ ...pool, poolSize: 0 })).toThrow(/^poolSize: expected a positive integer, got 0$/);
    expect(() => impl.maxPool1dForward({ ...pool, padBefore: 1.5 })).toThrow(/^padBefore: expected a non-negative integer/);
    expect(() => impl.maxPool1dForward({ ...pool, x: new Float32Array(7) })).toThrow(/^x: expected 1x4x2 = 8 floats, got 7$/);
    expect(() => impl.maxPool1dBackward({ ...pool, dy: new Float32Array(5) })).toThrow(/^dy: expected 1x2x2 = 4 floats, got 5$/);
    const shared = new Float32Array(new SharedArrayBuffer(32));
    expect(() => impl.maxPool1dForward({ ...pool, x: shared })).toThrow(/^x: arrays over a SharedArrayBuffer are not accepted/);
  });
});
